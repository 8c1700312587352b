package dev.linea.optim.lr;

import dev.linea.optim.Optimizer;

import java.util.List;

/**
 * Cosine annealing from each group's base rate down to {@code eta_min} over {@code T_max} epochs
 * (PyTorch's {@code CosineAnnealingLR}, SGDR without restarts). The closed form is
 * <pre>
 * lr(e) = eta_min + (base_lr - eta_min) · (1 + cos(π·e / T_max)) / 2
 * </pre>
 * but {@link #step()} uses PyTorch's recursive form, which follows other changes to the rate:
 * <pre>
 * e = 0:                               lr unchanged
 * (e - 1 - T_max) mod 2·T_max = 0:     lr ← lr + (base_lr - eta_min)·(1 - cos(π / T_max)) / 2
 * otherwise:                           lr ← eta_min + (lr - eta_min) · (1 + cos(π·e/T_max)) / (1 + cos(π·(e-1)/T_max))
 * </pre>
 * Past {@code T_max} the rate climbs back up along the cosine (period 2·T_max), exactly as PyTorch's does.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** Anneals to {@code etaMin} over {@code tMax} steps. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) {
            throw new IllegalArgumentException("CosineAnnealingLR T_max must be positive, got " + tMax);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    /** Anneals to 0 over {@code tMax} steps. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    @Override
    protected List<Double> computeLr() {
        if (lastEpoch == 0) {
            return currentLrs();
        }
        if (stepCount == 1 && lastEpoch > 0) {
            return closedFormLr();
        }
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            return mapGroups((i, lr) -> lr + (baseLrs.get(i) - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2);
        }
        return mapGroups((i, lr) -> (1 + Math.cos(Math.PI * lastEpoch / tMax))
                / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax)) * (lr - etaMin) + etaMin);
    }

    @Override
    protected List<Double> closedFormLr() {
        return baseLrs.stream().map(b -> etaMin + (b - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2).toList();
    }
}
