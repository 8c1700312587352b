package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;
import dev.linea.nn.functional.Reduction;

/**
 * {@code torch.nn.SmoothL1Loss}: per element {@code |d| < β ? 0.5·d²/β : |d| − 0.5·β}, {@code d = x − y},
 * reduced; β (default 1) must not be negative, β = 0 is L1.
 */
public class SmoothL1Loss extends Loss {
    public final float beta;

    public SmoothL1Loss() {
        this(Reduction.MEAN, 1f);
    }

    public SmoothL1Loss(Reduction reduction, float beta) {
        super(reduction);
        if (beta < 0) {
            throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta.");
        }
        this.beta = beta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.smoothL1Loss(input, target, reduction, beta);
    }
}
