package dev.linea.nn.functional;

import dev.linea.Tensor;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The elementwise losses, composed of {@link Tensor} ops (so each gradient is the composition's): MSE, L1,
 * smooth L1, Huber and KL divergence, with PyTorch's formulas, argument checks and broadcasting warning.
 */
final class RegressionLosses {
    private static final AtomicBoolean WARNED_BROADCAST = new AtomicBoolean();
    private static final AtomicBoolean WARNED_KL_MEAN = new AtomicBoolean();

    private RegressionLosses() {}

    /**
     * The difference {@code input − target}, broadcasting as PyTorch's losses do; when the shapes differ,
     * PyTorch's warning, once per run (Python shows a warning once per call site).
     */
    static Tensor difference(Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape()) && WARNED_BROADCAST.compareAndSet(false, true)) {
            System.err.println("Linea warning: Using a target size (torch.Size(" + Arrays.toString(target.shape())
                    + ")) that is different to the input size (torch.Size(" + Arrays.toString(input.shape()) + ")). "
                    + "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.");
        }
        return input.sub(target);
    }

    static Tensor mse(Tensor input, Tensor target, Reduction r) {
        Tensor d = difference(input, target);
        return F.reduce(d.mul(d), r);
    }

    static Tensor l1(Tensor input, Tensor target, Reduction r) {
        return F.reduce(difference(input, target).abs(), r);
    }

    /** {@code |d| < β ? ½d²/β : |d| − ½β}; β = 0 is L1. */
    static Tensor smoothL1(Tensor input, Tensor target, Reduction r, float beta) {
        if (beta < 0) {
            throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta.");
        }
        Tensor d = difference(input, target);
        Tensor abs = d.abs();
        if (beta == 0) {
            return F.reduce(abs, r);
        }
        Tensor quadratic = d.mul(d).mul(0.5f / beta), linear = abs.sub(0.5f * beta);
        return F.reduce(quadratic.where(abs.lt(beta), linear), r);
    }

    /** {@code |d| ≤ δ ? ½d² : δ·(|d| − ½δ)}. */
    static Tensor huber(Tensor input, Tensor target, Reduction r, float delta) {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huber_loss does not support non-positive values for delta.");
        }
        Tensor d = difference(input, target);
        Tensor abs = d.abs();
        Tensor quadratic = d.mul(d).mul(0.5f), linear = abs.sub(0.5f * delta).mul(delta);
        return F.reduce(quadratic.where(abs.le(delta), linear), r);
    }

    /**
     * KL divergence of log-probabilities {@code input} from {@code target}: {@code t·(log t − input)} per
     * element (0 where t = 0, as PyTorch's xlogy), or {@code eᵗ·(t − input)} with {@code logTarget}.
     * {@code reduction} is PyTorch's string: none, mean (over all elements, with its warning), sum, or
     * batchmean (the sum divided by the batch size, the mathematical KL divergence).
     */
    static Tensor klDiv(Tensor input, Tensor target, String reduction, boolean logTarget) {
        Reduction base = switch (reduction) {
            case "none" -> Reduction.NONE;
            case "mean" -> Reduction.MEAN;
            case "sum", "batchmean" -> Reduction.SUM;
            default -> throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        };
        if (reduction.equals("mean") && WARNED_KL_MEAN.compareAndSet(false, true)) {
            System.err.println("Linea warning: reduction: 'mean' divides the total loss by both the batch size and the "
                    + "support size.'batchmean' divides only by the batch size, and aligns with the KL div math "
                    + "definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.");
        }
        Tensor per;
        if (logTarget) {
            per = target.exp().mul(target.sub(input));
        } else {
            Tensor xlogx = target.mul(target.log()).where(target.ne(0f), Tensor.zerosLike(target));
            per = xlogx.sub(target.mul(input));
        }
        Tensor out = F.reduce(per, base);
        return reduction.equals("batchmean") && input.dim() != 0 ? out.div(input.size(0)) : out;
    }
}
