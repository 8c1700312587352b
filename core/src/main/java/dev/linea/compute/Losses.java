package dev.linea.compute;

import static dev.linea.compute.Compute.K;

import dev.linea.Tensor;

/**
 * The fused losses behind {@code F.crossEntropy}, {@code F.nllLoss} and {@code F.binaryCrossEntropy}:
 * each computes its value and its local gradient in one pass over the arrays. Targets come in already
 * validated (class indices as ints, distributions as arrays) from {@code nn.functional}.
 */
public final class Losses {
    private Losses() {}

    /** How per-row losses are combined. */
    public enum Reduce { NONE, MEAN, SUM }

    /**
     * Softmax cross-entropy of logits (N, C) (or (C), {@code n == 1}) against class indices, reduced by mean
     * or sum (not {@code NONE}): one kernel pass computes the summed loss and {@code softmax − onehot},
     * scaled at backward time.
     */
    public static Fused crossEntropyIndices(Tensor input, int[] targets, int n, int c, Reduce reduce) {
        Dense x = Dense.of(input);
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = targets[i];
        }
        float[] grad = new float[n * c];
        float total = K.crossEntropyRows(x.a(), x.off(), n, c, t, 0, grad, 0, 1f);
        float scale = reduce == Reduce.MEAN ? 1f / n : 1f;
        int[] inShape = input.shape();
        return new Fused(Tensor.scalar(total * scale),
                (g, need) -> new Tensor[] {Ops.binaryScalar(dev.linea.backend.BinaryOp.MUL,
                        Tensor.wrap(grad, inShape), g.item() * scale)});
    }

    /** True when every row of the logits (N, C) already is a probability distribution (values in [0, 1], sum 1). */
    public static boolean rowsAreDistributions(Tensor input, int n, int c) {
        Dense x = Dense.of(input);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < c; j++) {
                float v = x.a()[x.off() + i * c + j];
                if (!(v >= 0 && v <= 1)) {
                    return false;
                }
                s += v;
            }
            if (Math.abs(s - 1) > 1e-3) {
                return false;
            }
        }
        return true;
    }

    /**
     * Per-element binary cross-entropy of probabilities {@code x} against {@code y}, as PyTorch's
     * {@code binary_cross_entropy}: {@code −(y·max(log x, −100) + (1−y)·max(log(1−x), −100))}. Fused because
     * composing log, clamp and mul gives 0/0 = NaN gradients where x is exactly 0 or 1 (sigmoid of a
     * logit above ~17 rounds to 1.0f); the gradient's denominator is clamped at 1e-12 as PyTorch's.
     * Values are the caller's to check (in [0, 1]).
     */
    public static Fused binaryCrossEntropy(Tensor input, Tensor target) {
        float[] v = input.toFloatArray();
        float[] y = target.toFloatArray();
        float[] per = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            double logX = Math.max(Math.log(v[i]), -100), log1mX = Math.max(Math.log1p(-v[i]), -100);
            per[i] = (float) -(y[i] * logX + (1 - y[i]) * log1mX);
        }
        int[] shape = input.shape();
        return new Fused(Tensor.wrap(per, shape), (g, need) -> {
            float[] gv = g.toFloatArray();
            float[] dx = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                dx[i] = (float) (gv[i] * (v[i] - y[i]) / Math.max((double) v[i] * (1 - v[i]), 1e-12));
            }
            return new Tensor[] {Tensor.wrap(dx, shape)};
        });
    }

    /**
     * Negative log-likelihood over log-probabilities laid out (N, C, S) (S the product of the trailing
     * dimensions, 1 for (N, C)), as PyTorch's {@code nll_loss} with {@code weight} and {@code ignore_index}:
     * {@code loss_ij = −w[t_ij]·logp[i, t_ij, j]}, 0 where {@code t_ij == ignoreIndex}. MEAN divides the sum
     * by {@code Σ w[t_ij]} over the targets not ignored (0/0 = NaN when all are, as PyTorch's); NONE returns
     * the N·S values in {@code noneShape}. Targets come in checked; {@code weight} (C) may be null.
     */
    public static Fused nllNd(Tensor logp, int[] targets, int n, int c, int s, float[] weight, int ignoreIndex,
                              Reduce reduce, int[] noneShape) {
        Dense x = Dense.of(logp);
        int m = n * s;
        float[] per = new float[m];
        float[] w = new float[m]; // the weight each element's loss carries (0 where ignored)
        double total = 0, weightSum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < s; j++) {
                int k = i * s + j, t = targets[k];
                if (t == ignoreIndex) {
                    continue;
                }
                w[k] = weight == null ? 1f : weight[t];
                per[k] = -w[k] * x.a()[x.off() + (i * c + t) * s + j];
                total += per[k];
                weightSum += w[k];
            }
        }
        Tensor out = reduce == Reduce.NONE ? Tensor.wrap(per, noneShape)
                : Tensor.scalar((float) (reduce == Reduce.MEAN ? total / weightSum : total));
        float meanScale = (float) (1 / weightSum);
        int[] inShape = logp.shape();
        return new Fused(out, (g, need) -> {
            float[] gv = g.toFloatArray();
            float[] dx = new float[n * c * s];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s; j++) {
                    int k = i * s + j;
                    if (w[k] == 0) {
                        continue;
                    }
                    float scale = reduce == Reduce.NONE ? gv[k] : reduce == Reduce.MEAN ? gv[0] * meanScale : gv[0];
                    dx[(i * c + targets[k]) * s + j] = -w[k] * scale;
                }
            }
            return new Tensor[] {Tensor.wrap(dx, inShape)};
        });
    }
}
