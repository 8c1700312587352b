package dev.linea.nn.functional;

import dev.linea.DType;
import dev.linea.Tensor;
import dev.linea.autograd.Autograd;
import dev.linea.compute.Fused;
import dev.linea.compute.Losses;
import dev.linea.internal.Shape;

import java.util.Arrays;

/**
 * Cross-entropy and NLL with PyTorch's options: class {@code weight}, {@code ignore_index}, inputs
 * (N, C, d1, ...) with targets (N, d1, ...), and probability targets of the input's shape. Both are
 * computed over the layout (N, C, S), S the product of the trailing dimensions. Class indices (int64) are
 * read in one place, {@link #classIndices}.
 */
final class ClassLosses {
    private ClassLosses() {}

    /** The layout (N, C, S) of an input (C), (N, C) or (N, C, d1, ...), and the shape of a per-element loss. */
    record Layout(int n, int c, int s, int[] targetShape) {
        static Layout of(String loss, Tensor input) {
            int[] sh = input.shape();
            if (sh.length == 0) {
                throw new IllegalArgumentException(loss + ": input must have at least one dimension (C), got a 0-d tensor");
            }
            if (sh.length == 1) {
                return new Layout(1, sh[0], 1, new int[0]);
            }
            int[] t = new int[sh.length - 1];
            t[0] = sh[0];
            System.arraycopy(sh, 2, t, 1, sh.length - 2);
            return new Layout(sh[0], sh[1], Shape.numel(sh) / Math.max(1, sh[0] * sh[1]), t);
        }

        /** The input as (N, C, S), differentiably. */
        Tensor view3(Tensor input) {
            return input.reshape(n, c, s);
        }
    }

    /**
     * The targets as ints, checked as PyTorch checks them: the shape (N, d1, ...) ({@code Expected target
     * size ...}), each a class in [0, C) or {@code ignoreIndex} ({@code Target 5 is out of bounds.}).
     */
    static int[] classIndices(String loss, Tensor target, Layout l, int ignoreIndex) {
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException("expected scalar type Long but found " + target.dtype().scalarName());
        }
        int[] want = l.targetShape();
        // An unbatched (C) input also takes a one-element (1) target, as Linea always has (PyTorch wants a 0-d one).
        boolean oneForUnbatched = want.length == 0 && target.dim() == 1 && target.numel() == 1;
        if (!Arrays.equals(target.shape(), want) && !oneForUnbatched) {
            if (want.length <= 1 && target.dim() <= 1) {
                throw new IllegalArgumentException("Expected input batch_size (" + l.n() + ") to match target batch_size ("
                        + (target.dim() == 0 ? 1 : target.size(0)) + ").");
            }
            throw new IllegalArgumentException("Expected target size " + Arrays.toString(want) + ", got "
                    + Arrays.toString(target.shape()));
        }
        long[] v = target.toLongArray();
        int[] t = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            long x = v[i];
            if (x != ignoreIndex && (x < 0 || x >= l.c())) {
                throw new IndexOutOfBoundsException("Target " + x + " is out of bounds.");
            }
            t[i] = (int) x;
        }
        return t;
    }

    /** PyTorch's check of a class weight: shape (C). */
    static float[] weights(Tensor weight, int c) {
        if (weight == null) {
            return null;
        }
        if (weight.dim() != 1 || weight.size(0) != c) {
            throw new IllegalArgumentException("weight tensor should be defined either for all " + c
                    + " classes or no classes but got weight tensor of shape: " + Arrays.toString(weight.shape()));
        }
        return weight.toFloatArray();
    }

    private static Losses.Reduce reduce(Reduction r) {
        return switch (r) {
            case MEAN -> Losses.Reduce.MEAN;
            case SUM -> Losses.Reduce.SUM;
            case NONE -> Losses.Reduce.NONE;
        };
    }

    /** Whether the target holds class probabilities (floating point, the input's shape) rather than int64 indices. */
    static boolean isDistribution(Tensor input, Tensor target) {
        return target.dtype().isFloatingPoint() && Arrays.equals(target.shape(), input.shape());
    }

    /** NLL of log-probabilities {@code logp} (N, C, S) against checked targets. */
    static Tensor nll(Tensor logp3, int[] t, Layout l, float[] w, int ignoreIndex, Reduction r) {
        Fused f = Losses.nllNd(logp3, t, l.n(), l.c(), l.s(), w, ignoreIndex, reduce(r), l.targetShape());
        boolean[] need = {logp3.requiresGrad()};
        return Autograd.record("NllLossBackward0", f.output(), g -> f.backward().apply(g, need), logp3);
    }

    static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction r) {
        Layout l = Layout.of("NLLLoss", input);
        float[] w = weights(weight, l.c());
        int[] t = classIndices("NLLLoss", target, l, ignoreIndex);
        return nll(l.view3(input), t, l, w, ignoreIndex, r);
    }

    /**
     * PyTorch's {@code cross_entropy}: log-softmax over the class dimension, then NLL (class indices, with
     * label smoothing ε blending in {@code −Σ_c w_c·logp_c} as PyTorch's) or {@code −Σ_c w_c·q_c·logp_c}
     * (probabilities q of the input's shape, differentiable in q too).
     */
    static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction r, float ls) {
        Layout l = Layout.of("CrossEntropyLoss", input);
        float[] w = weights(weight, l.c());
        Tensor logp = l.view3(input).logSoftmax(1);
        Tensor wView = weight == null ? null : weight.reshape(1, l.c(), 1);
        if (isDistribution(input, target)) {
            if (ignoreIndex >= 0) {
                throw new IllegalArgumentException("ignore_index is not supported for floating point target");
            }
            Tensor q = l.view3(target);
            if (ls > 0) {
                q = q.mul(1 - ls).add(ls / l.c());
            }
            Tensor terms = logp.mul(q);
            if (wView != null) {
                terms = terms.mul(wView);
            }
            return switch (r) {
                case MEAN -> terms.sum().neg().div((float) l.n() * l.s());
                case SUM -> terms.sum().neg();
                case NONE -> terms.sum(1, false).neg().reshape(l.targetShape());
            };
        }
        int[] t = classIndices("CrossEntropyLoss", target, l, ignoreIndex);
        Tensor nll = nll(logp, t, l, w, ignoreIndex, r);
        if (ls == 0) {
            return nll;
        }
        // PyTorch's label smoothing for class indices: (1 − ε)·nll + ε/C · smooth, smooth = −Σ_c w_c·logp_c,
        // 0 where the target is ignored, its mean normalised like nll's (by Σ w[t] over the kept targets).
        float[] keep = new float[t.length];
        double norm = 0;
        for (int k = 0; k < t.length; k++) {
            if (t[k] != ignoreIndex) {
                keep[k] = 1f;
                norm += w == null ? 1 : w[t[k]];
            }
        }
        Tensor weighted = wView == null ? logp : logp.mul(wView);
        Tensor smooth = weighted.sum(1, false).neg().mul(Tensor.wrap(keep, l.n(), l.s()));
        Tensor reduced = switch (r) {
            case MEAN -> smooth.sum().div((float) norm);
            case SUM -> smooth.sum();
            case NONE -> smooth.reshape(l.targetShape());
        };
        return nll.mul(1 - ls).add(reduced.mul(ls / l.c()));
    }
}
