package dev.linea.optim.lr;

import dev.linea.optim.Optimizer;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decays each group's rate by {@code gamma} at every milestone epoch (PyTorch's {@code MultiStepLR}):
 * <pre>
 * lr(e) = base_lr · gamma^(number of milestones ≤ e)
 * </pre>
 * A milestone listed k times multiplies by gamma^k at that epoch, as PyTorch's {@code Counter} does.
 */
public final class MultiStepLR extends LRScheduler {
    private final TreeMap<Integer, Integer> milestones = new TreeMap<>();
    private final double gamma;

    /** Multiplies the rate by {@code gamma} at each of {@code milestones} (epoch indices). */
    public MultiStepLR(Optimizer optimizer, List<Integer> milestones, double gamma) {
        super(optimizer);
        for (int m : milestones) {
            this.milestones.merge(m, 1, Integer::sum);
        }
        this.gamma = gamma;
        initialStep();
    }

    /** gamma 0.1. */
    public MultiStepLR(Optimizer optimizer, List<Integer> milestones) {
        this(optimizer, milestones, 0.1);
    }

    @Override
    protected List<Double> computeLr() {
        Integer count = milestones.get(lastEpoch);
        if (count == null) {
            return currentLrs();
        }
        return mapGroups((i, lr) -> lr * Math.pow(gamma, count));
    }

    @Override
    protected List<Double> closedFormLr() {
        int passed = 0;
        for (Map.Entry<Integer, Integer> e : milestones.headMap(lastEpoch, true).entrySet()) {
            passed += e.getValue();
        }
        int n = passed;
        return baseLrs.stream().map(b -> b * Math.pow(gamma, n)).toList();
    }
}
