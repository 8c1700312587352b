package dev.linea.optim.lr;

import dev.linea.optim.Optimizer;

import java.util.List;

/**
 * Scales each group's rate by a factor that moves linearly from {@code start_factor} to
 * {@code end_factor} over {@code total_iters} steps, then stays (PyTorch's {@code LinearLR}; a warm-up):
 * <pre>
 * lr(e) = base_lr · (start + (end - start) · min(e, total_iters) / total_iters)
 * </pre>
 * computed recursively as PyTorch does: {@code lr ← lr·start} at e = 0, then for 0 &lt; e ≤ total_iters
 * {@code lr ← lr · (1 + (end - start) / (total_iters·start + (e - 1)·(end - start)))}.
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    /** Factors in [0, 1]; {@code totalIters} ≥ 1. */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        if (startFactor > 1.0 || startFactor < 0) {
            throw new IllegalArgumentException("LinearLR start_factor must be in [0, 1], got " + startFactor);
        }
        if (endFactor > 1.0 || endFactor < 0) {
            throw new IllegalArgumentException("LinearLR end_factor must be in [0, 1], got " + endFactor);
        }
        if (totalIters < 1) {
            throw new IllegalArgumentException("LinearLR total_iters must be at least 1, got " + totalIters);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    /** PyTorch's defaults: start_factor 1/3, end_factor 1, total_iters 5. */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    @Override
    protected List<Double> computeLr() {
        if (lastEpoch == 0) {
            return mapGroups((i, lr) -> lr * startFactor);
        }
        if (lastEpoch > totalIters) {
            return currentLrs();
        }
        return mapGroups((i, lr) -> lr * (1. + (endFactor - startFactor)
                / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor))));
    }

    @Override
    protected List<Double> closedFormLr() {
        return baseLrs.stream().map(b -> b * (startFactor
                + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters)).toList();
    }
}
