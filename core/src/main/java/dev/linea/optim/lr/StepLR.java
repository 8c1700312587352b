package dev.linea.optim.lr;

import dev.linea.optim.Optimizer;

import java.util.List;

/**
 * Decays each group's rate by {@code gamma} every {@code stepSize} epochs (PyTorch's {@code StepLR}):
 * <pre>
 * lr(e) = base_lr · gamma^⌊e / step_size⌋
 * </pre>
 * computed recursively: {@code lr ← lr·gamma} when {@code e > 0} and {@code e mod step_size = 0}.
 */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** Multiplies the rate by {@code gamma} every {@code stepSize} epochs. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) {
            throw new IllegalArgumentException("StepLR step_size must be positive, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    /** gamma 0.1. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    @Override
    protected List<Double> computeLr() {
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) {
            return currentLrs();
        }
        return mapGroups((i, lr) -> lr * gamma);
    }

    @Override
    protected List<Double> closedFormLr() {
        return baseLrs.stream().map(b -> b * Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize))).toList();
    }
}
