package dev.linea.compute;

import static dev.linea.compute.Compute.K;

import dev.linea.internal.Pairs;

import dev.linea.Tensor;
import dev.linea.backend.BinaryOp;
import dev.linea.backend.Im2col;
import dev.linea.backend.Parallel;

/**
 * The fused 2-D convolution and transposed convolution behind {@code Conv2d}, {@code ConvTranspose2d} and
 * {@code F.conv2d}: im2col + sgemm per sample, one group at a time, with the backward rule beside each.
 *
 * <p>Work is split over the batch; each sample is computed by one thread in a fixed order, and the weight
 * gradient is accumulated in per-chunk partial sums whose chunk boundaries depend only on the batch size,
 * added in chunk order, so results are bitwise identical for any thread count.
 */
public final class Convolution {

    private Convolution() {}

    /**
     * Per-thread scratch arrays (the unfolded columns, the transposed product), reused across chunks and calls:
     * a forward pass split into one chunk per sample would otherwise allocate them per sample (W4's second
     * layer on 2 threads: 11 MB of garbage a batch). Contents are not cleared; every use overwrites them.
     * Arrays over {@link #SCRATCH_MAX} floats are not kept, so one large layer does not pin its buffers.
     */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);
    private static final int SCRATCH_MAX = 1 << 20;

    /** A scratch array of at least {@code size} floats, {@code slot} 0 or 1 (two can be in use at once). */
    private static float[] scratch(int slot, int size) {
        if (size > SCRATCH_MAX) {
            return new float[size];
        }
        float[][] s = SCRATCH.get();
        if (s[slot].length < size) {
            s[slot] = new float[size];
        }
        return s[slot];
    }

    /** Samples per chunk of the weight-gradient reduction: at most 16 partial sums (fewer for large weights). */
    private static int reductionGrain(int n, long weightSize) {
        long maxChunks = Math.max(1, Math.min(16, 16_000_000L / Math.max(1, weightSize)));
        return (int) Math.max(1, (n + maxChunks - 1) / maxChunks);
    }

    /**
     * Runs {@code body} once per chunk {@code [k·grain, min(n, (k+1)·grain))}, in parallel. Unlike a bare
     * {@link Parallel#forRange}, which hands the whole range to one call when it runs serially, every call
     * here sees exactly one chunk, so per-chunk partial sums are the same for any thread count.
     */
    private static void forChunks(int n, int grain, Parallel.RangeBody body) {
        Parallel.forRange(n, grain, (from, to) -> {
            for (int start = from; start < to; start += grain) {
                body.run(start, Math.min(to, start + grain));
            }
        });
    }

    /**
     * {@code (parts[0] + parts[1] + ...)ᵀ}, summed in that order (null parts skipped): each part is a
     * {@code rows × cols} matrix, the result a {@code cols × rows} tensor of {@code shape}.
     */
    private static Tensor sumPartsTransposed(float[][] parts, int rows, int cols, int[] shape) {
        float[] sum = new float[rows * cols];
        for (float[] p : parts) {
            if (p != null) {
                K.axpy(sum.length, 1f, p, 0, sum, 0);
            }
        }
        float[] out = new float[sum.length];
        transpose(sum, 0, rows, cols, out, 0);
        return Tensor.wrap(out, shape);
    }

    /** Bias gradient: for each channel o, the sum over samples (in order) of the sum over the plane. */
    private static Tensor biasGrad(Dense g, int n, int channels, int plane) {
        float[] db = new float[channels];
        Parallel.forRange(channels, 1, (from, to) -> {
            for (int o = from; o < to; o++) {
                float s = 0f;
                for (int i = 0; i < n; i++) {
                    s += K.sum(g.a(), g.off() + (i * channels + o) * plane, plane);
                }
                db[o] = s;
            }
        });
        return Tensor.wrap(db, channels);
    }

    private static void fillBias(float[] y, int yOff, Dense b, int bOff, int rows, int plane) {
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(y, yOff + r * plane, yOff + (r + 1) * plane, b.a()[b.off() + bOff + r]);
        }
    }

    /** {@code y[yOff + r·plane + p] += b[bOff + r]}: one bias per channel plane. */
    private static void addBias(float[] y, int yOff, Dense b, int bOff, int rows, int plane) {
        for (int r = 0; r < rows; r++) {
            K.binaryScalar(BinaryOp.ADD, y, yOff + r * plane, b.a()[b.off() + bOff + r], y, yOff + r * plane, plane);
        }
    }

    // ---------------------------------------------------------------- Conv2d

    /** See {@code F.conv2d}; input is 4-D here. */
    public static Fused conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        int[] xs = input.shape(), ws = weight.shape();
        if (ws.length != 4) {
            throw new IllegalArgumentException("conv2d: weight must be 4-D (out_channels, in_channels/groups, kH, kW), got "
                    + Pairs.shape(ws));
        }
        if (groups < 1) {
            throw new IllegalArgumentException("conv2d: groups must be positive, got " + groups);
        }
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3];
        int o = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
        if (o % groups != 0) {
            throw new IllegalArgumentException("conv2d: out_channels (" + o + ", weight shape " + Pairs.shape(ws)
                    + ") must be divisible by groups=" + groups);
        }
        if (cg * groups != c) {
            throw new IllegalArgumentException("conv2d: given groups=" + groups + ", weight of size " + Pairs.shape(ws)
                    + ", expected input" + Pairs.shape(xs) + " to have " + cg * groups + " channels, but got " + c
                    + " channels instead");
        }
        checkBias("conv2d", bias, o);
        int oh = convOut(h, kh, stride[0], padding[0], dilation[0]);
        int ow = convOut(w, kw, stride[1], padding[1], dilation[1]);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("conv2d: calculated padded input size per channel: (" + (h + 2 * padding[0])
                    + " x " + (w + 2 * padding[1]) + "). Kernel size (with dilation): (" + (dilation[0] * (kh - 1) + 1)
                    + " x " + (dilation[1] * (kw - 1) + 1) + "). Kernel size can't be greater than actual input size "
                    + "(input shape " + Pairs.shape(xs) + ")");
        }
        int og = o / groups, kk = cg * kh * kw, l = oh * ow;
        Im2col.Geometry geo = new Im2col.Geometry(cg, h, w, kh, kw, stride[0], stride[1], padding[0], padding[1],
                dilation[0], dilation[1], oh, ow);
        boolean direct = kh == 1 && kw == 1 && stride[0] == 1 && stride[1] == 1 && padding[0] == 0 && padding[1] == 0;
        Dense x = Dense.of(input), wt = Dense.of(weight), b = bias == null ? null : Dense.of(bias);
        // Wᵀ, made once here, lets every product below read its operands as stored (a transposing pack is the
        // slow kind). Per sample and group, Y_g = W_g · col_g, computed as Y_gᵀ (l × og) = col_gᵀ · W_gᵀ and
        // transposed into y when the product is deep enough (kk ≥ 64) to pay for that extra pass: its og columns
        // fill whole register tiles where l (121 in W4) leaves a ragged one, and its rows are l, not few og.
        // Measured on W4 (batch 64, 1 thread): second layer 4.5 → 4.2 ms; the first (kk = 9) is faster as Y_g.
        float[] wT = new float[kk * o];
        transpose(wt.a(), wt.off(), o, kk, wT, 0);
        boolean viaYT = kk >= 64;
        float[] y = new float[n * o * l];
        Parallel.forRange(n, 1, (from, to) -> {
            float[] col = direct ? null : scratch(0, kk * l);
            float[] yT = viaYT ? scratch(1, l * og) : null;
            for (int i = from; i < to; i++) {
                for (int gi = 0; gi < groups; gi++) {
                    int xOff = x.off() + (i * c + gi * cg) * h * w;
                    int yOff = (i * o + gi * og) * l;
                    if (!direct) {
                        K.im2col(geo, x.a(), xOff, col, 0);
                    }
                    float[] cm = direct ? x.a() : col;
                    int cmOff = direct ? xOff : 0;
                    if (viaYT) {
                        K.sgemm(true, false, l, og, kk, cm, cmOff, l, wT, gi * og, o, yT, 0, og, false);
                        transpose(yT, 0, l, og, y, yOff);
                        if (b != null) {
                            addBias(y, yOff, b, gi * og, og, l);
                        }
                    } else {
                        if (b != null) { // the product accumulates onto the bias: no extra pass
                            fillBias(y, yOff, b, gi * og, og, l);
                        }
                        K.sgemm(true, false, og, l, kk, wT, gi * og, o, cm, cmOff, l, y, yOff, l, b != null);
                    }
                }
            }
        });
        Tensor out = Tensor.wrap(y, n, o, oh, ow);
        return new Fused(out, (gy, need) -> {
            Dense g = Dense.of(gy);
            boolean needX = need[0], needW = need[1];
            float[] dx = needX ? new float[n * c * h * w] : null;
            int grain = reductionGrain(n, (long) o * kk);
            float[][] dwParts = needW ? new float[(n + grain - 1) / grain][] : null;
            forChunks(n, grain, (from, to) -> {
                float[] col = direct ? null : scratch(0, kk * l);
                float[] dwT = needW ? new float[kk * o] : null;
                for (int i = from; i < to; i++) {
                    for (int gi = 0; gi < groups; gi++) {
                        int xOff = (i * c + gi * cg) * h * w;
                        int gOff = g.off() + (i * o + gi * og) * l;
                        if (needW) {
                            // dW_gᵀ (kk × og) += col_g (kk × l) · dY_gᵀ (l × og), where dW_g = dY_g · col_gᵀ would
                            // pack all of col transposed. dW is transposed once, at the end. col is unfolded again
                            // rather than kept from the forward pass: fresh in cache, it is the faster to read.
                            if (!direct) {
                                K.im2col(geo, x.a(), x.off() + xOff, col, 0);
                            }
                            K.sgemm(false, true, kk, og, l, direct ? x.a() : col, direct ? x.off() + xOff : 0, l, g.a(), gOff, l,
                                    dwT, gi * og, o, true);
                        }
                        if (needX) {
                            // dcol = W_gᵀ (kk × og) · dY_g (og × l), folded back into the image.
                            if (direct) {
                                K.sgemm(true, false, kk, l, og, wt.a(), wt.off() + gi * og * kk, kk, g.a(), gOff, l, dx, xOff, l, false);
                            } else {
                                K.sgemm(true, false, kk, l, og, wt.a(), wt.off() + gi * og * kk, kk, g.a(), gOff, l, col, 0, l, false);
                                K.col2im(geo, col, 0, dx, xOff);
                            }
                        }
                    }
                }
                if (needW) {
                    dwParts[from / grain] = dwT;
                }
            });
            return new Tensor[] {
                    needX ? Tensor.wrap(dx, xs) : null,
                    needW ? sumPartsTransposed(dwParts, kk, o, ws) : null,
                    need[2] ? biasGrad(g, n, o, l) : null};
        });
    }

    /**
     * {@code dst[dstOff ..] (cols × rows) = srcᵀ} for a row-major {@code rows × cols} block at {@code src[off ..]},
     * in 16×16 tiles written along dst's rows. 32×32 tiles read along src's rows were 3.4 ns per element for
     * 512×128 (the 32 destination rows, 2 KiB apart, share too few L1 sets) against 0.6–0.9 ns for every
     * shape tried this way (AMD EPYC).
     */
    public static void transpose(float[] src, int off, int rows, int cols, float[] dst, int dstOff) {
        final int t = 16;
        for (int r0 = 0; r0 < rows; r0 += t) {
            int r1 = Math.min(rows, r0 + t);
            for (int c0 = 0; c0 < cols; c0 += t) {
                int c1 = Math.min(cols, c0 + t);
                for (int c = c0; c < c1; c++) {
                    int d = dstOff + c * rows, s = off + c;
                    for (int r = r0; r < r1; r++) {
                        dst[d + r] = src[s + r * cols];
                    }
                }
            }
        }
    }

    /** {@code floor((in + 2p − d(k−1) − 1)/s) + 1}. */
    public static int convOut(int in, int k, int s, int p, int d) {
        return Math.floorDiv(in + 2 * p - d * (k - 1) - 1, s) + 1;
    }

    private static void checkBias(String op, Tensor bias, int channels) {
        if (bias != null && (bias.dim() != 1 || bias.size(0) != channels)) {
            throw new IllegalArgumentException(op + ": bias shape " + Pairs.shape(bias.shape()) + " should be ["
                    + channels + "]");
        }
    }

    // ---------------------------------------------------------------- ConvTranspose2d

    /** See {@code F.convTranspose2d}; input is 4-D here. */
    public static Fused convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                  int[] outputPadding, int groups, int[] dilation) {
        int[] xs = input.shape(), ws = weight.shape();
        if (ws.length != 4) {
            throw new IllegalArgumentException("conv_transpose2d: weight must be 4-D (in_channels, out_channels/groups, kH, kW), got "
                    + Pairs.shape(ws));
        }
        if (groups < 1) {
            throw new IllegalArgumentException("conv_transpose2d: groups must be positive, got " + groups);
        }
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3];
        int kh = ws[2], kw = ws[3];
        if (ws[0] != c || c % groups != 0) {
            throw new IllegalArgumentException("conv_transpose2d: given groups=" + groups + ", weight of size "
                    + Pairs.shape(ws) + ", expected input" + Pairs.shape(xs) + " to have " + ws[0]
                    + " channels (divisible by groups), but got " + c + " channels instead");
        }
        for (int d = 0; d < 2; d++) {
            if (outputPadding[d] >= stride[d] && outputPadding[d] >= dilation[d]) {
                throw new IllegalArgumentException("conv_transpose2d: output padding must be smaller than either stride or "
                        + "dilation, but got output_padding=" + Pairs.str(outputPadding) + ", stride=" + Pairs.str(stride)
                        + ", dilation=" + Pairs.str(dilation));
            }
        }
        int cg = c / groups, og = ws[1], o = og * groups;
        checkBias("conv_transpose2d", bias, o);
        int oh = (h - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + outputPadding[0] + 1;
        int ow = (w - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + outputPadding[1] + 1;
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("conv_transpose2d: input " + Pairs.shape(xs) + " gives a non-positive output size ("
                    + oh + " x " + ow + ") with kernel " + Pairs.str(new int[] {kh, kw}) + " and padding " + Pairs.str(padding));
        }
        int kk = og * kh * kw, l = h * w, plane = oh * ow;
        // The image here is the output; the column grid is the input's H×W.
        Im2col.Geometry geo = new Im2col.Geometry(og, oh, ow, kh, kw, stride[0], stride[1], padding[0], padding[1],
                dilation[0], dilation[1], h, w);
        Dense x = Dense.of(input), wt = Dense.of(weight), b = bias == null ? null : Dense.of(bias);
        float[] y = new float[n * o * plane];
        Parallel.forRange(n, 1, (from, to) -> {
            float[] col = scratch(0, kk * l);
            for (int i = from; i < to; i++) {
                for (int gi = 0; gi < groups; gi++) {
                    int yOff = (i * o + gi * og) * plane;
                    if (b != null) {
                        fillBias(y, yOff, b, gi * og, og, plane);
                    }
                    // col = W_gᵀ (kk × cg) · x_g (cg × l), folded into the output.
                    K.sgemm(true, false, kk, l, cg, wt.a(), wt.off() + gi * cg * kk, kk, x.a(), x.off() + (i * c + gi * cg) * l, l,
                            col, 0, l, false);
                    K.col2im(geo, col, 0, y, yOff);
                }
            }
        });
        Tensor out = Tensor.wrap(y, n, o, oh, ow);
        return new Fused(out, (gy, need) -> {
            Dense g = Dense.of(gy);
            boolean needX = need[0], needW = need[1];
            float[] dx = needX ? new float[n * c * l] : null;
            int grain = reductionGrain(n, (long) c * kk);
            float[][] dwParts = needW ? new float[(n + grain - 1) / grain][] : null;
            forChunks(n, grain, (from, to) -> {
                float[] col = scratch(0, kk * l);
                float[] dwT = needW ? new float[kk * c] : null;
                for (int i = from; i < to; i++) {
                    for (int gi = 0; gi < groups; gi++) {
                        int xOff = (i * c + gi * cg) * l;
                        K.im2col(geo, g.a(), g.off() + (i * o + gi * og) * plane, col, 0);
                        if (needX) {
                            // dx_g = W_g (cg × kk) · unfold(dY)_g (kk × l)
                            K.sgemm(false, false, cg, l, kk, wt.a(), wt.off() + gi * cg * kk, kk, col, 0, l, dx, xOff, l, false);
                        }
                        if (needW) {
                            // dW_gᵀ (kk × cg) += unfold(dY)_g (kk × l) · x_gᵀ (l × cg), transposed once at the end
                            K.sgemm(false, true, kk, cg, l, col, 0, l, x.a(), x.off() + xOff, l, dwT, gi * cg, c, true);
                        }
                    }
                }
                if (needW) {
                    dwParts[from / grain] = dwT;
                }
            });
            return new Tensor[] {
                    needX ? Tensor.wrap(dx, xs) : null,
                    needW ? sumPartsTransposed(dwParts, kk, c, ws) : null,
                    need[2] ? biasGrad(g, n, o, plane) : null};
        });
    }
}
