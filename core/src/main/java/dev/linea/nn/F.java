package dev.linea.nn;

import dev.linea.Generator;
import dev.linea.Tensor;

import java.util.Locale;

/**
 * Functional forms of the layers and losses, like {@code torch.nn.functional}:
 * {@code import static dev.linea.nn.F.*;} then {@code relu(x)}, {@code softmax(x, 1)}.
 */
public final class F {
    private F() {}

    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    public static Tensor leakyRelu(Tensor x, float negativeSlope) {
        return x.leakyRelu(negativeSlope);
    }

    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    public static Tensor gelu(Tensor x) {
        return x.gelu();
    }

    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }

    /** {@code x·Wᵀ + b}; see {@link Linear}. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return Tensor.linear(x, weight, bias);
    }

    /** Dropout with the global generator: zero with probability p, scale survivors by 1/(1-p); identity when not training. */
    public static Tensor dropout(Tensor x, float p, boolean training) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        if (!training || p == 0) {
            return x;
        }
        if (p == 1) {
            return x.mul(0f);
        }
        Tensor mask = Tensor.rand(Generator.global(), x.shape()).ge(p).mul(1f / (1f - p));
        return x.mul(mask);
    }

    // ---------------------------------------------------------------- convolution

    /** {@link Conv2d}'s operation with stride 1, no padding, dilation 1, one group; {@code bias} may be null. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return conv2d(input, weight, bias, Pairs.of(1), Pairs.of(0), Pairs.of(1), 1);
    }

    /** {@link Conv2d}'s operation with square stride and padding. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(input, weight, bias, Pairs.of(stride), Pairs.of(padding), Pairs.of(1), 1);
    }

    /**
     * 2-D cross-correlation, like {@code torch.nn.functional.conv2d}: input (N, C, H, W) or (C, H, W),
     * weight (O, C/groups, kH, kW), bias (O) or null; output (N, O, OH, OW) with
     * {@code OH = floor((H + 2·padding − dilation·(kH − 1) − 1)/stride) + 1} (likewise OW), and
     * {@code y[n, o] = bias[o] + Σ_{c in o's group} Σ_{i,j} weight[o, c, i, j]·x[n, c, oh·s − p + i·d, ow·s − p + j·d]}.
     * Stride, padding and dilation are (height, width) pairs.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        int[] s = Pairs.check("stride", stride, 1), p = Pairs.check("padding", padding, 0);
        int[] d = Pairs.check("dilation", dilation, 1);
        return batched("conv2d", input, x -> Convolution.conv2d(x, weight, bias, s, p, d, groups));
    }

    /**
     * The transposed convolution (the gradient of {@link #conv2d} with respect to its input), like
     * {@code torch.nn.functional.conv_transpose2d}: input (N, C, H, W) or (C, H, W), weight
     * (C, O/groups, kH, kW), bias (O) or null; output (N, O, OH, OW) with
     * {@code OH = (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1}.
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        int[] s = Pairs.check("stride", stride, 1), p = Pairs.check("padding", padding, 0);
        int[] op = Pairs.check("output_padding", outputPadding, 0), d = Pairs.check("dilation", dilation, 1);
        return batched("conv_transpose2d", input, x -> Convolution.convTranspose2d(x, weight, bias, s, p, op, groups, d));
    }

    /** Runs a 4-D operation on a 4-D input, or on an unbatched 3-D one as a batch of one. */
    private static Tensor batched(String op, Tensor input, java.util.function.UnaryOperator<Tensor> f) {
        if (input.dim() == 4) {
            return f.apply(input);
        }
        if (input.dim() == 3) {
            return f.apply(input.unsqueeze(0)).squeeze(0);
        }
        throw new IllegalArgumentException(op + ": expected 3D (unbatched) or 4D (batched) input, but got input of size: "
                + Pairs.shape(input.shape()));
    }

    // ---------------------------------------------------------------- pooling and upsampling

    /** {@link MaxPool2d} with a square window, stride = kernel size, no padding. */
    public static Tensor maxPool2d(Tensor input, int kernelSize) {
        return maxPool2d(input, Pairs.of(kernelSize), Pairs.of(kernelSize), Pairs.of(0), Pairs.of(1), false);
    }

    /**
     * Max pooling over (N, C, H, W) or (C, H, W): each output is the maximum of its window (padding counts
     * as -∞); the gradient goes to the first maximum of each window. Output size
     * {@code floor_or_ceil((H + 2p − d(k − 1) − 1)/s) + 1}.
     */
    public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                   boolean ceilMode) {
        return Pooling.maxPool2d(input, Pairs.check("kernel_size", kernelSize, 1), Pairs.check("stride", stride, 1),
                Pairs.check("padding", padding, 0), Pairs.check("dilation", dilation, 1), ceilMode);
    }

    /** {@link AvgPool2d} with a square window, stride = kernel size, no padding. */
    public static Tensor avgPool2d(Tensor input, int kernelSize) {
        return avgPool2d(input, Pairs.of(kernelSize), Pairs.of(kernelSize), Pairs.of(0), false, true);
    }

    /**
     * Average pooling over (N, C, H, W) or (C, H, W): the mean of each window, divided by the window's
     * size including padding when {@code countIncludePad}, else by the number of image elements in it.
     */
    public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
        return Pooling.avgPool2d(input, Pairs.check("kernel_size", kernelSize, 1), Pairs.check("stride", stride, 1),
                Pairs.check("padding", padding, 0), ceilMode, countIncludePad);
    }

    /**
     * Adaptive average pooling to {@code outputSize} (height, width): output cell {@code i} averages input
     * rows {@code floor(i·H/out)} to {@code ceil((i+1)·H/out)} (exclusive), likewise for columns.
     */
    public static Tensor adaptiveAvgPool2d(Tensor input, int[] outputSize) {
        return Pooling.adaptiveAvgPool2d(input, Pairs.check("output_size", outputSize, 1));
    }

    /** Nearest-neighbour upsampling of (N, C, H, W) or (C, H, W) by {@code scaleFactor} in height and width. */
    public static Tensor upsampleNearest(Tensor input, double scaleFactor) {
        return Pooling.upsampleNearest2d(input, new double[] {scaleFactor, scaleFactor});
    }

    // ---------------------------------------------------------------- normalisation and channel dropout

    /**
     * Batch normalisation of (N, C, *) per channel, like {@code torch.nn.functional.batch_norm}:
     * {@code y = (x − mean)/√(var + eps)·weight + bias}. When {@code training}, mean and (biased) variance are
     * the batch's over N and the trailing dimensions, and {@code runningMean}/{@code runningVar} (if not
     * null) are updated in place: {@code r = (1 − momentum)·r + momentum·stat}, with the unbiased variance.
     * Otherwise the running statistics are used. {@code weight}, {@code bias} (C) may be null.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        for (Tensor t : new Tensor[] {runningMean, runningVar}) {
            if (t != null && !t.isContiguous()) {
                throw new IllegalArgumentException("batch_norm: running statistics must be contiguous");
            }
        }
        return Normalization.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /**
     * Channel dropout, like {@code torch.nn.functional.dropout2d}: in training, zeroes each whole channel of
     * (N, C, H, W) (or (C, H, W)) with probability p and scales the others by 1/(1-p).
     */
    public static Tensor dropout2d(Tensor x, float p, boolean training) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("dropout2d: expected 3D (unbatched) or 4D (batched) input, but got input of size: "
                    + Pairs.shape(x.shape()));
        }
        if (!training || p == 0) {
            return x;
        }
        if (p == 1) {
            return x.mul(0f);
        }
        int[] maskShape = x.shape();
        maskShape[maskShape.length - 1] = 1;
        maskShape[maskShape.length - 2] = 1;
        Tensor mask = Tensor.rand(Generator.global(), maskShape).ge(p).mul(1f / (1f - p));
        return x.mul(mask);
    }

    /** Cross-entropy of logits (N, C) against class indices (N); mean over the batch. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return new CrossEntropyLoss().forward(logits, target);
    }

    public static Tensor mseLoss(Tensor input, Tensor target) {
        return new MSELoss().forward(input, target);
    }

    /** Python's repr of a float, for extraRepr ({@code 0.5}, {@code 0.01}, {@code 1e-05}). */
    static String pyFloat(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e16) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        String s = Float.toString((float) v);
        if (s.contains("E")) {
            String[] parts = s.split("E");
            int e = Integer.parseInt(parts[1]);
            String mant = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
            return mant + "e" + (e < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(e));
        }
        return s;
    }
}
