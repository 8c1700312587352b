package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;
import dev.linea.nn.functional.Reduction;

/**
 * {@code torch.nn.HuberLoss}: per element {@code |d| ≤ δ ? 0.5·d² : δ·(|d| − 0.5·δ)}, {@code d = x − y},
 * reduced; δ (default 1) must be positive. Equal to {@link SmoothL1Loss} with β = δ times δ.
 */
public class HuberLoss extends Loss {
    public final float delta;

    public HuberLoss() {
        this(Reduction.MEAN, 1f);
    }

    public HuberLoss(Reduction reduction, float delta) {
        super(reduction);
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huber_loss does not support non-positive values for delta.");
        }
        this.delta = delta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.huberLoss(input, target, reduction, delta);
    }
}
