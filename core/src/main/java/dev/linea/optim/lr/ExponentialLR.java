package dev.linea.optim.lr;

import dev.linea.optim.Optimizer;

import java.util.List;

/**
 * Decays each group's rate by {@code gamma} every epoch (PyTorch's {@code ExponentialLR}):
 * <pre>
 * lr(e) = base_lr · gamma^e        (recursively: lr ← lr·gamma for e &gt; 0)
 * </pre>
 */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    /** Multiplies the rate by {@code gamma} each step. */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected List<Double> computeLr() {
        if (lastEpoch == 0) {
            return currentLrs();
        }
        return mapGroups((i, lr) -> lr * gamma);
    }

    @Override
    protected List<Double> closedFormLr() {
        return baseLrs.stream().map(b -> b * Math.pow(gamma, lastEpoch)).toList();
    }
}
