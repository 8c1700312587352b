package dev.linea.onnx;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;

import java.util.Arrays;

/**
 * ONNX's convolutions and pools over 1-D and 2-D images, on Linea's 2-D kernels: a 1-D input (N, C, L)
 * runs as (N, C, 1, L). ONNX's {@code pads} ({@code [x1_begin, x2_begin, x1_end, x2_end]}) may be asymmetric
 * and {@code auto_pad} may ask for SAME padding; where PyTorch's symmetric padding cannot say it, the input is
 * padded explicitly (zeros, or -∞ for max pooling) and the kernel runs unpadded.
 */
final class Spatial {
    private Spatial() {}

    /** Options of one node: kernel, strides, dilations, begin and end pads per spatial axis (2 axes). */
    record Window(int[] kernel, int[] stride, int[] dilation, int[] begin, int[] end) {
        boolean symmetric() {
            return Arrays.equals(begin, end);
        }
    }

    /** The spatial rank of an (N, C, ...) input, refusing anything but 1 and 2. */
    static int spatialRank(Tensor x, String op) {
        int r = x.dim() - 2;
        if (r != 1 && r != 2) {
            throw new IllegalArgumentException(op + " over " + r + "-D images (input " + Arrays.toString(x.shape())
                    + ") is not supported: Linea's kernels are 1-D and 2-D");
        }
        return r;
    }

    /** A 1-D input as 2-D (a height of 1); 2-D unchanged. */
    static Tensor to2d(Tensor x, int rank) {
        return rank == 1 ? x.unsqueeze(2) : x;
    }

    static Tensor from2d(Tensor y, int rank) {
        return rank == 1 ? y.squeeze(2) : y;
    }

    /** An attribute's per-axis ints for a spatial rank, as (height, width) pairs (1-D: height 1/0). */
    static int[] pair(long[] v, int rank, int fill, String what) {
        if (v == null) {
            return new int[] {fill, fill};
        }
        if (v.length != rank) {
            throw new IllegalArgumentException(what + " has " + v.length + " values for " + rank + "-D images");
        }
        return rank == 1 ? new int[] {fill, Math.toIntExact(v[0])} : new int[] {Math.toIntExact(v[0]), Math.toIntExact(v[1])};
    }

    /**
     * Resolves pads: explicit {@code pads}, or SAME_UPPER/SAME_LOWER (output = ceil(in/stride), the odd pixel at
     * the end or the beginning), or VALID.
     */
    static Window window(int[] inHW, int[] kernel, int[] stride, int[] dilation, long[] pads, String autoPad, int rank) {
        int[] begin = new int[2], end = new int[2];
        switch (autoPad) {
            case "NOTSET" -> {
                if (pads != null) {
                    if (pads.length != 2 * rank) {
                        throw new IllegalArgumentException("pads has " + pads.length + " values for " + rank + "-D images");
                    }
                    for (int i = 0; i < rank; i++) {
                        int a = rank == 1 ? 1 : i;
                        begin[a] = Math.toIntExact(pads[i]);
                        end[a] = Math.toIntExact(pads[i + rank]);
                    }
                }
            }
            case "VALID" -> { }
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int a = 0; a < 2; a++) {
                    int out = (inHW[a] + stride[a] - 1) / stride[a];
                    int total = Math.max(0, (out - 1) * stride[a] + (kernel[a] - 1) * dilation[a] + 1 - inHW[a]);
                    int small = total / 2;
                    begin[a] = autoPad.equals("SAME_UPPER") ? small : total - small;
                    end[a] = total - begin[a];
                }
            }
            default -> throw new IllegalArgumentException("auto_pad '" + autoPad + "' is not one of NOTSET, SAME_UPPER, "
                    + "SAME_LOWER, VALID");
        }
        for (int a = 0; a < 2; a++) {
            if (begin[a] < 0 || end[a] < 0) {
                throw new IllegalArgumentException("negative pads " + Arrays.toString(pads) + " are not supported");
            }
        }
        return new Window(kernel, stride, dilation, begin, end);
    }

    /** Pads height and width of (N, C, H, W) with {@code value}: {@code begin}/{@code end} per axis. */
    static Tensor pad(Tensor x, int[] begin, int[] end, float value) {
        Tensor y = x;
        for (int a = 0; a < 2; a++) {
            int dim = 2 + a;
            if (begin[a] == 0 && end[a] == 0) {
                continue;
            }
            int[] s = y.shape();
            java.util.List<Tensor> parts = new java.util.ArrayList<>();
            if (begin[a] > 0) {
                s[dim] = begin[a];
                parts.add(Tensor.full(s.clone(), value));
            }
            parts.add(y);
            if (end[a] > 0) {
                s[dim] = end[a];
                parts.add(Tensor.full(s.clone(), value));
            }
            y = Tensor.cat(parts, dim);
        }
        return y;
    }

    static int[] hw(Tensor x4) {
        return new int[] {x4.size(2), x4.size(3)};
    }

    // ---------------------------------------------------------------- convolution

    static Tensor conv(Tensor x, Tensor w, Tensor b, long[] strides, long[] dilations, long[] pads, String autoPad,
                       int group, long[] kernelShape) {
        int rank = spatialRank(x, "Conv");
        if (w.dim() != rank + 2) {
            throw new IllegalArgumentException("Conv weight " + Arrays.toString(w.shape()) + " does not match a "
                    + rank + "-D input");
        }
        Tensor x4 = to2d(x, rank), w4 = to2d(w, rank);
        int[] k = {w4.size(2), w4.size(3)};
        checkKernel(kernelShape, k, rank);
        Window win = window(hw(x4), k, pair(strides, rank, 1, "strides"), pair(dilations, rank, 1, "dilations"), pads,
                autoPad, rank);
        Tensor y;
        if (win.symmetric()) {
            y = F.conv2d(x4, w4, b, win.stride(), win.begin(), win.dilation(), group);
        } else {
            y = F.conv2d(pad(x4, win.begin(), win.end(), 0f), w4, b, win.stride(), new int[] {0, 0}, win.dilation(), group);
        }
        return from2d(y, rank);
    }

    private static void checkKernel(long[] kernelShape, int[] k, int rank) {
        if (kernelShape != null) {
            int[] ks = pair(kernelShape, rank, 1, "kernel_shape");
            if (!Arrays.equals(ks, k)) {
                throw new IllegalArgumentException("kernel_shape " + Arrays.toString(kernelShape)
                        + " does not match the weight's spatial size");
            }
        }
    }

    static Tensor convTranspose(Tensor x, Tensor w, Tensor b, long[] strides, long[] dilations, long[] pads,
                                String autoPad, int group, long[] kernelShape, long[] outputPadding, long[] outputShape) {
        int rank = spatialRank(x, "ConvTranspose");
        if (w.dim() != rank + 2) {
            throw new IllegalArgumentException("ConvTranspose weight " + Arrays.toString(w.shape())
                    + " does not match a " + rank + "-D input");
        }
        Tensor x4 = to2d(x, rank), w4 = to2d(w, rank);
        int[] k = {w4.size(2), w4.size(3)};
        checkKernel(kernelShape, k, rank);
        int[] s = pair(strides, rank, 1, "strides"), d = pair(dilations, rank, 1, "dilations");
        int[] op = pair(outputPadding, rank, 0, "output_padding");
        int[] in = hw(x4);
        int[] full = new int[2], begin = new int[2], end = new int[2];
        for (int a = 0; a < 2; a++) {
            full[a] = (in[a] - 1) * s[a] + (k[a] - 1) * d[a] + 1;
        }
        boolean same = autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER");
        if (outputShape != null || same) {
            int[] out = outputShape != null ? pair(outputShape.length == rank + 2
                    ? Arrays.copyOfRange(outputShape, 2, outputShape.length) : outputShape, rank, 1, "output_shape")
                    : new int[] {in[0] * s[0], in[1] * s[1]};
            for (int a = 0; a < 2; a++) {
                // ONNX's reference formula, with Python's floor division; a negative pad grows the output
                int total = full[a] + op[a] - out[a];
                if (autoPad.equals("SAME_UPPER")) {
                    begin[a] = Math.floorDiv(total, 2);
                    end[a] = total - Math.floorDiv(total, 2);
                } else {
                    begin[a] = total - Math.floorDiv(total, 2);
                    end[a] = Math.floorDiv(total, 2);
                }
            }
        } else if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
            throw new IllegalArgumentException("auto_pad '" + autoPad + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
        } else if (pads != null && autoPad.equals("NOTSET")) {
            Window win = window(in, k, s, d, pads, "NOTSET", rank);
            begin = win.begin();
            end = win.end();
        }
        Tensor y;
        boolean direct = Arrays.equals(begin, end) && begin[0] >= 0 && begin[1] >= 0
                && op[0] < Math.max(s[0], d[0]) && op[1] < Math.max(s[1], d[1]);
        if (direct) {
            y = F.convTranspose2d(x4, w4, b, s, begin, op, group, d);
        } else {
            y = F.convTranspose2d(x4, w4, null, s, new int[] {0, 0}, new int[] {0, 0}, group, d);
            // output_padding and negative pads add rows of zeros (then the bias); positive pads crop
            int[] grow0 = new int[2], grow1 = new int[2];
            for (int a = 0; a < 2; a++) {
                grow0[a] = Math.max(0, -begin[a]);
                grow1[a] = op[a] + Math.max(0, -end[a]);
            }
            y = pad(y, grow0, grow1, 0f);
            for (int a = 0; a < 2; a++) {
                int b0 = Math.max(0, begin[a]), b1 = Math.max(0, end[a]);
                y = y.narrow(2 + a, b0, y.size(2 + a) - b0 - b1);
            }
            if (b != null) {
                y = y.add(b.view(1, -1, 1, 1));
            }
        }
        return from2d(y, rank);
    }

    // ---------------------------------------------------------------- pooling

    static Tensor maxPool(Tensor x, long[] kernelShape, long[] strides, long[] dilations, long[] pads, String autoPad,
                          boolean ceil) {
        int rank = spatialRank(x, "MaxPool");
        Tensor x4 = to2d(x, rank);
        int[] k = pair(kernelShape, rank, 1, "kernel_shape");
        Window win = window(hw(x4), k, pair(strides, rank, 1, "strides"), pair(dilations, rank, 1, "dilations"), pads,
                autoPad, rank);
        Tensor y;
        if (win.symmetric() && fitsHalf(win)) {
            y = F.maxPool2d(x4, k, win.stride(), win.begin(), win.dilation(), ceil);
        } else {
            y = F.maxPool2d(pad(x4, win.begin(), win.end(), Float.NEGATIVE_INFINITY), k, win.stride(), new int[] {0, 0},
                    win.dilation(), ceil);
        }
        return from2d(y, rank);
    }

    /** PyTorch's pools take at most half the (dilated) kernel as padding. */
    private static boolean fitsHalf(Window w) {
        for (int a = 0; a < 2; a++) {
            if (w.begin()[a] > ((w.kernel()[a] - 1) * w.dilation()[a] + 1) / 2 || w.begin()[a] > w.kernel()[a] / 2) {
                return false;
            }
        }
        return true;
    }

    static Tensor avgPool(Tensor x, long[] kernelShape, long[] strides, long[] dilations, long[] pads, String autoPad,
                          boolean ceil, boolean countIncludePad) {
        int rank = spatialRank(x, "AveragePool");
        Tensor x4 = to2d(x, rank);
        int[] k = pair(kernelShape, rank, 1, "kernel_shape");
        int[] d = pair(dilations, rank, 1, "dilations");
        Window win = window(hw(x4), k, pair(strides, rank, 1, "strides"), d, pads, autoPad, rank);
        Tensor y;
        if (d[0] != 1 || d[1] != 1) {
            y = dilatedAvgPool(x4, win, ceil, countIncludePad);
        } else if (win.symmetric() && fitsHalf(win)) {
            y = F.avgPool2d(x4, k, win.stride(), win.begin(), ceil, countIncludePad);
        } else {
            Tensor padded = pad(x4, win.begin(), win.end(), 0f);
            y = F.avgPool2d(padded, k, win.stride(), new int[] {0, 0}, ceil, true);
            if (!countIncludePad) {
                // divide by the share of real pixels in each window: the same pool over a padded map of ones
                int[] ones = x4.shape();
                ones[0] = 1;
                ones[1] = 1;
                Tensor share = F.avgPool2d(pad(Tensor.ones(ones), win.begin(), win.end(), 0f), k, win.stride(),
                        new int[] {0, 0}, ceil, true);
                y = y.div(share);
            }
        }
        return from2d(y, rank);
    }

    /**
     * Average pooling with dilation (opset 19), which Linea's pool kernel lacks: window sums by a convolution
     * of each channel with a kernel of ones, divided by the count of what each window covers (image pixels,
     * plus the pads when {@code countIncludePad}). In ceil mode the last window may run past the pads; it
     * counts only what it covers, and is dropped if it starts past the image and the begin pad.
     */
    private static Tensor dilatedAvgPool(Tensor x4, Window w, boolean ceil, boolean countIncludePad) {
        int[] in = hw(x4), extra = new int[2];
        for (int a = 0; a < 2; a++) {
            int eff = (w.kernel()[a] - 1) * w.dilation()[a] + 1;
            int padded = in[a] + w.begin()[a] + w.end()[a];
            if (padded < eff) {
                throw new IllegalArgumentException("AveragePool: window " + eff + " is larger than the padded input " + padded);
            }
            int out = (padded - eff) / w.stride()[a] + 1;
            if (ceil) {
                out = Math.floorDiv(padded - eff + w.stride()[a] - 1, w.stride()[a]) + 1;
                if ((out - 1) * w.stride()[a] >= in[a] + w.begin()[a]) {
                    out--;
                }
            }
            extra[a] = Math.max(0, (out - 1) * w.stride()[a] + eff - padded);
        }
        int[] end = {w.end()[0] + extra[0], w.end()[1] + extra[1]};
        int n = x4.size(0), c = x4.size(1);
        Tensor ones = Tensor.ones(1, 1, w.kernel()[0], w.kernel()[1]);
        int[] zero = {0, 0};
        Tensor sums = F.conv2d(pad(x4.reshape(n * c, 1, in[0], in[1]), w.begin(), end, 0f), ones, null, w.stride(),
                zero, w.dilation(), 1);
        Tensor cover = countIncludePad
                ? pad(pad(Tensor.ones(1, 1, in[0], in[1]), w.begin(), w.end(), 1f), zero, extra, 0f)
                : pad(Tensor.ones(1, 1, in[0], in[1]), w.begin(), end, 0f);
        Tensor counts = F.conv2d(cover, ones, null, w.stride(), zero, w.dilation(), 1);
        Tensor y = sums.div(counts);
        return y.reshape(n, c, y.size(2), y.size(3));
    }

    /** Global pools: mean or max over every axis after (N, C). */
    static Tensor global(Tensor x, boolean max) {
        if (x.dim() < 3) {
            throw new IllegalArgumentException("global pooling needs (N, C, d1, ...), got " + Arrays.toString(x.shape()));
        }
        int[] axes = new int[x.dim() - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 2;
        }
        if (!max) {
            return x.mean(axes, true);
        }
        Tensor y = x;
        for (int a : axes) {
            y = y.max(a, true);
        }
        return y;
    }

}
