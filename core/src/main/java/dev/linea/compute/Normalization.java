package dev.linea.compute;

import static dev.linea.compute.Compute.K;

import dev.linea.internal.Pairs;

import dev.linea.Tensor;
import dev.linea.internal.TensorAccess;
import dev.linea.backend.BinaryOp;
import dev.linea.backend.Parallel;

/**
 * The fused batch normalisation behind {@code BatchNorm1d}, {@code BatchNorm2d} and {@code F.batchNorm}:
 * input (N, C, *) viewed as N × C × S (S the product of the trailing sizes), one pass per channel.
 * Per channel, each plane of S values is reduced by the vector kernels and the plane sums are added in
 * double, in a fixed order; channels are split over threads, so results do not depend on the thread count.
 */
public final class Normalization {
    /**
     * Planes shorter than this are reduced element by element: BatchNorm1d's (N, C) input has S = 1, where a
     * kernel call per value would cost more than it saves.
     */
    private static final int KERNEL_MIN = 32;

    private Normalization() {}

    /** Σ of the channel's values: {@code a[off + (i·c + ch)·s + q]} over the n planes i and q < s. */
    private static double channelSum(float[] a, int off, int n, int c, int ch, int s) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int base = off + (i * c + ch) * s;
            if (s >= KERNEL_MIN) {
                sum += K.sum(a, base, s);
            } else {
                for (int q = 0; q < s; q++) {
                    sum += a[base + q];
                }
            }
        }
        return sum;
    }

    /**
     * Σ of (x − mean)·w over the channel's values, w being {@code g} at {@code go} (same layout as x), or
     * x − mean itself when {@code g} is null (the sum of squared deviations). {@code tmp} holds s floats.
     */
    private static double centeredDot(float[] x, int xo, float mean, float[] g, int go, int n, int c, int ch, int s,
                                      float[] tmp) {
        double acc = 0;
        for (int i = 0; i < n; i++) {
            int plane = (i * c + ch) * s;
            if (s >= KERNEL_MIN) {
                K.binaryScalar(BinaryOp.SUB, x, xo + plane, mean, tmp, 0, s);
                acc += g == null ? K.dot(tmp, 0, tmp, 0, s) : K.dot(g, go + plane, tmp, 0, s);
            } else {
                for (int q = 0; q < s; q++) {
                    float d = x[xo + plane + q] - mean;
                    acc += g == null ? (double) d * d : (double) g[go + plane + q] * d;
                }
            }
        }
        return acc;
    }

    /**
     * {@code y = (x − mean)/√(var + eps)·weight + bias} per channel. With {@code useBatchStats} the mean and
     * the biased variance are the batch's, and the running buffers (when not null) are moved towards them
     * with {@code momentum} (the unbiased variance, {@code var·M/(M−1)}, goes into {@code runningVar});
     * otherwise the running statistics are used.
     */
    public static Fused batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                            boolean useBatchStats, double momentum, double eps) {
        int[] shape = input.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("batch_norm: expected input of shape (N, C, *), got " + Pairs.shape(shape));
        }
        int n = shape[0], c = shape[1], s = input.numel() / Math.max(1, n * c);
        for (Tensor t : new Tensor[] {runningMean, runningVar, weight, bias}) {
            if (t != null && t.numel() != c) {
                throw new IllegalArgumentException("batch_norm: input " + Pairs.shape(shape) + " has " + c
                        + " channels but a parameter or buffer has shape " + Pairs.shape(t.shape()));
            }
        }
        long m = (long) n * s;
        if (useBatchStats && m <= 1) {
            throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training, got input size "
                    + Pairs.shape(shape));
        }
        if (!useBatchStats && (runningMean == null || runningVar == null)) {
            throw new IllegalArgumentException("batch_norm: running_mean and running_var are needed when not using batch statistics");
        }
        Dense xc = Dense.of(input);
        float[] x = xc.a();
        int xo = xc.off();
        float[] gamma = weight == null ? null : weight.toFloatArray();
        float[] beta = bias == null ? null : bias.toFloatArray();
        float[] mean = new float[c], invStd = new float[c];
        float[] y = new float[input.numel()];
        // Updated in place: the caller (F.batchNorm) checks that the buffers are contiguous.
        float[] rm = runningMean == null ? null : TensorAccess.data(runningMean);
        float[] rv = runningVar == null ? null : TensorAccess.data(runningVar);
        int rmo = runningMean == null ? 0 : TensorAccess.offset(runningMean);
        int rvo = runningVar == null ? 0 : TensorAccess.offset(runningVar);
        Parallel.forRange(c, 1, (from, to) -> {
            float[] tmp = new float[s];
            for (int ch = from; ch < to; ch++) {
                double mu, var;
                if (useBatchStats) {
                    mu = channelSum(x, xo, n, c, ch, s) / m;
                    var = centeredDot(x, xo, (float) mu, null, 0, n, c, ch, s, tmp) / m;
                    if (rm != null) {
                        rm[rmo + ch] = (float) ((1 - momentum) * rm[rmo + ch] + momentum * mu);
                        rv[rvo + ch] = (float) ((1 - momentum) * rv[rvo + ch] + momentum * var * m / (m - 1));
                    }
                } else {
                    mu = rm[rmo + ch];
                    var = rv[rvo + ch];
                }
                float mf = (float) mu, is = (float) (1.0 / Math.sqrt(var + eps));
                mean[ch] = mf;
                invStd[ch] = is;
                float scale = gamma == null ? is : gamma[ch] * is;
                float shift = beta == null ? 0f : beta[ch];
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * s;
                    for (int q = 0; q < s; q++) {
                        y[base + q] = (x[xo + base + q] - mf) * scale + shift;
                    }
                }
            }
        });
        return new Fused(Tensor.wrap(y, shape), (gy, need) -> {
            Dense gc = Dense.of(gy);
            float[] g = gc.a();
            int go = gc.off();
            boolean needX = need[0];
            float[] dx = needX ? new float[y.length] : null;
            float[] dw = new float[c], db = new float[c];
            Parallel.forRange(c, 1, (from, to) -> {
                float[] tmp = new float[s];
                for (int ch = from; ch < to; ch++) {
                    float mf = mean[ch], is = invStd[ch];
                    // Σ dy and Σ dy·x̂, x̂ = (x − mean)·invstd
                    double sumG = channelSum(g, go, n, c, ch, s);
                    double sumGx = centeredDot(x, xo, mf, g, go, n, c, ch, s, tmp) * is;
                    dw[ch] = (float) sumGx;
                    db[ch] = (float) sumG;
                    if (!needX) {
                        continue;
                    }
                    float scale = gamma == null ? is : gamma[ch] * is;
                    if (useBatchStats) {
                        // dx = γ·invstd·(dy − mean(dy) − x̂·mean(dy·x̂))
                        float meanG = (float) (sumG / m), meanGx = (float) (sumGx / m);
                        for (int i = 0; i < n; i++) {
                            int base = (i * c + ch) * s;
                            for (int q = 0; q < s; q++) {
                                float xhat = (x[xo + base + q] - mf) * is;
                                dx[base + q] = scale * (g[go + base + q] - meanG - xhat * meanGx);
                            }
                        }
                    } else {
                        for (int i = 0; i < n; i++) {
                            int base = (i * c + ch) * s;
                            for (int q = 0; q < s; q++) {
                                dx[base + q] = scale * g[go + base + q];
                            }
                        }
                    }
                }
            });
            return new Tensor[] {
                    needX ? Tensor.wrap(dx, shape) : null,
                    need[1] ? Tensor.wrap(dw, weight.shape()) : null,
                    need[2] ? Tensor.wrap(db, bias.shape()) : null};
        });
    }
}
