package dev.linea.compute;

import static dev.linea.compute.Compute.K;

import dev.linea.internal.Pairs;

import dev.linea.Tensor;
import dev.linea.backend.BinaryOp;
import dev.linea.backend.Im2col;
import dev.linea.backend.Parallel;

/**
 * The 2-D pooling and nearest upsampling kernels behind {@code MaxPool2d}, {@code AvgPool2d},
 * {@code AdaptiveAvgPool2d} and {@code Upsample}, each with its backward rule. Inputs are (N, C, H, W)
 * or unbatched (C, H, W); the work is split over the N·C planes, each plane computed by one thread in a
 * fixed order, so results do not depend on the thread count.
 */
public final class Pooling {

    private Pooling() {}

    /** Planes per parallel chunk: about 32K elements of work each. */
    private static int grain(int planeSize) {
        return Math.max(1, (1 << 15) / Math.max(1, planeSize));
    }

    private static int[] checkInput(String op, Tensor x) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected 3D (unbatched) or 4D (batched) input, but got input of size: "
                    + Pairs.shape(x.shape()));
        }
        int[] s = x.shape();
        return s.length == 4 ? s : new int[] {1, s[0], s[1], s[2]};
    }

    private static int[] outShape(Tensor x, int oh, int ow) {
        int[] s = x.shape();
        s[s.length - 2] = oh;
        s[s.length - 1] = ow;
        return s;
    }

    /**
     * PyTorch's pooling output size: {@code floor_or_ceil((in + 2p − d(k−1) − 1)/s) + 1}, less one in ceil
     * mode when the last window would start inside the right padding.
     */
    static int poolOut(int in, int k, int s, int p, int d, boolean ceil) {
        int out = Math.floorDiv(in + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0), s) + 1;
        if (ceil && (out - 1) * s >= in + p) {
            out--;
        }
        return out;
    }

    private static void checkPool(String op, int[] shape, int[] k, int[] p, int oh, int ow) {
        if (p[0] > k[0] / 2 || p[1] > k[1] / 2) {
            throw new IllegalArgumentException(op + ": pad should be at most half of kernel size, but got padding="
                    + Pairs.str(p) + " and kernel_size=" + Pairs.str(k));
        }
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(op + ": given input size (" + shape[1] + "x" + shape[2] + "x" + shape[3]
                    + "), the calculated output size (" + shape[1] + "x" + oh + "x" + ow + ") is too small");
        }
    }

    // ---------------------------------------------------------------- max

    public static Fused maxPool2d(Tensor input, int[] k, int[] s, int[] p, int[] d, boolean ceil) {
        int[] sh = checkInput("max_pool2d", input);
        int planes = sh[0] * sh[1], h = sh[2], w = sh[3];
        int oh = poolOut(h, k[0], s[0], p[0], d[0], ceil), ow = poolOut(w, k[1], s[1], p[1], d[1], ceil);
        checkPool("max_pool2d", sh, k, p, oh, ow);
        float[] x = Dense.array(input);
        float[] y = new float[planes * oh * ow];
        int[] arg = new int[y.length];
        Im2col.Geometry geo = new Im2col.Geometry(1, h, w, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], oh, ow);
        Parallel.forRange(planes, grain(oh * ow * k[0] * k[1]), (from, to) -> K.maxPool2d(geo, x, 0, from, to, y, 0, arg));
        int[] inShape = input.shape();
        return new Fused(Tensor.wrap(y, outShape(input, oh, ow)), (gy, need) -> {
            float[] g = Dense.array(gy);
            float[] dx = new float[planes * h * w];
            Parallel.forRange(planes, grain(h * w), (from, to) -> {
                for (int pl = from; pl < to; pl++) {
                    for (int q = pl * oh * ow; q < (pl + 1) * oh * ow; q++) {
                        if (arg[q] >= 0) { // a window wholly in the padding has no input
                            dx[arg[q]] += g[q];
                        }
                    }
                }
            });
            return new Tensor[] {Tensor.wrap(dx, inShape)};
        });
    }

    // ---------------------------------------------------------------- average

    public static Fused avgPool2d(Tensor input, int[] k, int[] s, int[] p, boolean ceil, boolean countIncludePad) {
        int[] sh = checkInput("avg_pool2d", input);
        int h = sh[2], w = sh[3];
        int oh = poolOut(h, k[0], s[0], p[0], 1, ceil), ow = poolOut(w, k[1], s[1], p[1], 1, ceil);
        checkPool("avg_pool2d", sh, k, p, oh, ow);
        // Window bounds per output row/column (clipped to the image) and the divisor of each window.
        int[] h0 = new int[oh], h1 = new int[oh], w0 = new int[ow], w1 = new int[ow];
        float[] div = new float[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                int hs = i * s[0] - p[0], he = Math.min(hs + k[0], h + p[0]);
                int ws = j * s[1] - p[1], we = Math.min(ws + k[1], w + p[1]);
                int padded = (he - hs) * (we - ws);
                h0[i] = Math.max(hs, 0);
                h1[i] = Math.min(he, h);
                w0[j] = Math.max(ws, 0);
                w1[j] = Math.min(we, w);
                div[i * ow + j] = countIncludePad ? padded : (h1[i] - h0[i]) * (w1[j] - w0[j]);
            }
        }
        return windowMean(input, oh, ow, h0, h1, w0, w1, div, oh * ow * k[0] * k[1]);
    }

    /**
     * The mean of each window {@code [h0[i], h1[i]) × [w0[j], w1[j])} divided by {@code div[i·ow + j]}, per
     * plane, with its backward (each window's gradient spread evenly over the window): average pooling
     * and adaptive average pooling differ only in their windows and divisors.
     */
    private static Fused windowMean(Tensor input, int oh, int ow, int[] h0, int[] h1, int[] w0, int[] w1,
                                     float[] div, int workPerPlane) {
        int[] sh = input.shape();
        int planes = sh[0] * sh[1], h = sh[2], w = sh[3];
        float[] x = Dense.array(input);
        float[] y = new float[planes * oh * ow];
        Parallel.forRange(planes, grain(workPerPlane), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int xo = pl * h * w, yo = pl * oh * ow;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float sum;
                        if (w0[j] == 0 && w1[j] == w) { // whole rows: one block (global pooling)
                            sum = K.sum(x, xo + h0[i] * w, (h1[i] - h0[i]) * w);
                        } else {
                            sum = 0f;
                            for (int a = h0[i]; a < h1[i]; a++) {
                                for (int b = w0[j]; b < w1[j]; b++) {
                                    sum += x[xo + a * w + b];
                                }
                            }
                        }
                        y[yo + i * ow + j] = sum / div[i * ow + j];
                    }
                }
            }
        });
        int[] inShape = input.shape();
        return new Fused(Tensor.wrap(y, outShape(input, oh, ow)), (gy, need) -> {
            float[] g = Dense.array(gy);
            float[] dx = new float[planes * h * w];
            Parallel.forRange(planes, grain(workPerPlane), (from, to) -> {
                for (int pl = from; pl < to; pl++) {
                    int xo = pl * h * w, yo = pl * oh * ow;
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            float v = g[yo + i * ow + j] / div[i * ow + j];
                            if (w0[j] == 0 && w1[j] == w) {
                                int off = xo + h0[i] * w;
                                K.binaryScalar(BinaryOp.ADD, dx, off, v, dx, off, (h1[i] - h0[i]) * w);
                                continue;
                            }
                            for (int a = h0[i]; a < h1[i]; a++) {
                                for (int b = w0[j]; b < w1[j]; b++) {
                                    dx[xo + a * w + b] += v;
                                }
                            }
                        }
                    }
                }
            });
            return new Tensor[] {Tensor.wrap(dx, inShape)};
        });
    }

    // ---------------------------------------------------------------- adaptive average

    public static Fused adaptiveAvgPool2d(Tensor input, int[] size) {
        int[] sh = checkInput("adaptive_avg_pool2d", input);
        int h = sh[2], w = sh[3];
        int oh = size[0], ow = size[1];
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: output_size must be positive, got " + Pairs.str(size));
        }
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: input " + Pairs.shape(input.shape())
                    + " has an empty spatial dimension");
        }
        // PyTorch's windows: start = floor(i·H/out), end = ceil((i+1)·H/out).
        int[] h0 = new int[oh], h1 = new int[oh], w0 = new int[ow], w1 = new int[ow];
        for (int i = 0; i < oh; i++) {
            h0[i] = (int) ((long) i * h / oh);
            h1[i] = (int) (((long) (i + 1) * h + oh - 1) / oh);
        }
        for (int j = 0; j < ow; j++) {
            w0[j] = (int) ((long) j * w / ow);
            w1[j] = (int) (((long) (j + 1) * w + ow - 1) / ow);
        }
        float[] div = new float[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                div[i * ow + j] = (h1[i] - h0[i]) * (w1[j] - w0[j]);
            }
        }
        return windowMean(input, oh, ow, h0, h1, w0, w1, div, h * w);
    }

    // ---------------------------------------------------------------- nearest upsampling

    /**
     * Nearest-neighbour upsampling by {@code scale} (height, width): output {@code floor(H·s)}; output
     * row {@code i} reads input row {@code min(floor(i·(1/s)), H−1)} (float arithmetic, as PyTorch).
     */
    public static Fused upsampleNearest2d(Tensor input, double[] scale) {
        int[] sh = checkInput("upsample_nearest2d", input);
        int planes = sh[0] * sh[1], h = sh[2], w = sh[3];
        int oh = (int) Math.floor(h * scale[0]), ow = (int) Math.floor(w * scale[1]);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("upsample_nearest2d: input " + Pairs.shape(input.shape())
                    + " with scale_factor (" + scale[0] + ", " + scale[1] + ") gives an empty output");
        }
        int[] srcH = nearest(h, oh, scale[0]), srcW = nearest(w, ow, scale[1]);
        float[] x = Dense.array(input);
        float[] y = new float[planes * oh * ow];
        Parallel.forRange(planes, grain(oh * ow), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int xo = pl * h * w, yo = pl * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int row = xo + srcH[i] * w, dst = yo + i * ow;
                    for (int j = 0; j < ow; j++) {
                        y[dst + j] = x[row + srcW[j]];
                    }
                }
            }
        });
        int[] inShape = input.shape();
        return new Fused(Tensor.wrap(y, outShape(input, oh, ow)), (gy, need) -> {
            float[] g = Dense.array(gy);
            float[] dx = new float[planes * h * w];
            Parallel.forRange(planes, grain(oh * ow), (from, to) -> {
                for (int pl = from; pl < to; pl++) {
                    int xo = pl * h * w, yo = pl * oh * ow;
                    for (int i = 0; i < oh; i++) {
                        int row = xo + srcH[i] * w, src = yo + i * ow;
                        for (int j = 0; j < ow; j++) {
                            dx[row + srcW[j]] += g[src + j];
                        }
                    }
                }
            });
            return new Tensor[] {Tensor.wrap(dx, inShape)};
        });
    }

    private static int[] nearest(int in, int out, double scale) {
        int[] src = new int[out];
        float inv = (float) (1.0 / scale);
        for (int i = 0; i < out; i++) {
            src[i] = out == in ? i : Math.min((int) Math.floor(i * inv), in - 1);
        }
        return src;
    }
}
