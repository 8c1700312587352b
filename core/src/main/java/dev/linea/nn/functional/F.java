package dev.linea.nn.functional;


import dev.linea.DType;
import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.autograd.Autograd;
import dev.linea.compute.Convolution;
import dev.linea.compute.Fused;
import dev.linea.compute.Indexing;
import dev.linea.compute.Losses;
import dev.linea.compute.Normalization;
import dev.linea.compute.Pooling;
import dev.linea.internal.Dropouts;
import dev.linea.internal.Pairs;
import dev.linea.internal.Trace;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Functional forms of the layers and losses, like {@code torch.nn.functional}:
 * {@code import static dev.linea.nn.functional.F.*;} then {@code relu(x)}, {@code softmax(x, 1)}.
 */
public final class F {
    private static final AtomicBoolean WARNED_PROBABILITIES = new AtomicBoolean();

    private F() {}

    /** Records a fused op's backward rule for the inputs that require grad. */
    private static Tensor record(String name, Fused f, Tensor... inputs) {
        boolean[] need = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            need[i] = inputs[i] != null && inputs[i].requiresGrad();
        }
        return Autograd.record(name, f.output(), g -> f.backward().apply(g, need), inputs);
    }

    /**
     * Reports {@code out} again to a running trace (an export), now with the attributes that say what the op
     * did (name, value pairs); returns {@code out}. Used by the heavy ops only (convolution, pooling,
     * normalisation), beside which building the small argument arrays costs nothing.
     */
    private static Tensor traced(Tensor out, String name, Tensor[] inputs, Object... attributes) {
        if (Trace.active()) {
            Trace.op(name, out, inputs, attributes);
        }
        return out;
    }

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

    /** GELU with PyTorch's {@code approximate}: {@code "none"} (exact) or {@code "tanh"}; see {@link Tensor#gelu(String)}. */
    public static Tensor gelu(Tensor x, String approximate) {
        return x.gelu(approximate);
    }

    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }

    /** {@code x·Wᵀ + b}; see {@link dev.linea.nn.Linear}. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return Tensor.linear(x, weight, bias);
    }

    /** Dropout with the global generator: zero with probability p, scale survivors by 1/(1-p); identity when not training. */
    public static Tensor dropout(Tensor x, float p, boolean training) {
        return dropout(x, p, training, Generator.global());
    }

    /**
     * Dropout drawing its mask from {@code gen} (one uniform per element, in order): a model with its own
     * generator ({@link dev.linea.nn.Module#generator()}) gets the same masks whatever else draws random numbers.
     */
    public static Tensor dropout(Tensor x, float p, boolean training, Generator gen) {
        checkDropout(p, gen);
        if (!training || p == 0) {
            return x;
        }
        if (p == 1) {
            return x.mul(0f);
        }
        Tensor mask = Tensor.rand(gen, x.shape()).ge(p).mul(1f / (1f - p));
        return x.mul(mask);
    }

    // ---------------------------------------------------------------- convolution

    /** {@link dev.linea.nn.Conv2d}'s operation with stride 1, no padding, dilation 1, one group; {@code bias} may be null. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return conv2d(input, weight, bias, Pairs.of(1), Pairs.of(0), Pairs.of(1), 1);
    }

    /** {@link dev.linea.nn.Conv2d}'s operation with square stride and padding. */
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
        return batched("conv2d", input, x -> traced(
                record("ConvolutionBackward0", Convolution.conv2d(x, weight, bias, s, p, d, groups), x, weight, bias),
                "ConvolutionBackward0", new Tensor[] {x, weight, bias}, "stride", s, "padding", p, "dilation", d,
                "transposed", false, "output_padding", Pairs.of(0), "groups", groups));
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
        return batched("conv_transpose2d", input, x -> traced(record("ConvolutionBackward0",
                Convolution.convTranspose2d(x, weight, bias, s, p, op, groups, d), x, weight, bias),
                "ConvolutionBackward0", new Tensor[] {x, weight, bias}, "stride", s, "padding", p, "dilation", d,
                "transposed", true, "output_padding", op, "groups", groups));
    }

    /**
     * Pads {@code input}, like {@code torch.nn.functional.pad}: {@code pad} holds (before, after) pairs from
     * the last dimension backwards ({@code (left, right, top, bottom)} for an image); {@code mode} is
     * {@code "constant"} (filled with {@code value}), {@code "reflect"} (mirrored without repeating the edge),
     * {@code "replicate"} (the edge repeated) or {@code "circular"} (wrapped around). Differentiable.
     */
    public static Tensor pad(Tensor input, int[] pad, String mode, float value) {
        return Padding.pad(input, pad, mode, value);
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

    /** {@link dev.linea.nn.MaxPool2d} with a square window, stride = kernel size, no padding. */
    public static Tensor maxPool2d(Tensor input, int kernelSize) {
        return maxPool2d(input, Pairs.of(kernelSize), Pairs.of(kernelSize), Pairs.of(0), Pairs.of(1), false);
    }

    /**
     * Max pooling over (N, C, H, W) or (C, H, W): each output is the maximum of its window (padding counts
     * as -∞), NaN if the window holds one; the gradient goes to the first maximum of each window, or to its
     * last NaN, as PyTorch's. Output size
     * {@code floor_or_ceil((H + 2p − d(k − 1) − 1)/s) + 1}.
     */
    public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                   boolean ceilMode) {
        int[] k = Pairs.check("kernel_size", kernelSize, 1), s = Pairs.check("stride", stride, 1);
        int[] p = Pairs.check("padding", padding, 0), d = Pairs.check("dilation", dilation, 1);
        return traced(record("MaxPool2DWithIndicesBackward0", Pooling.maxPool2d(input, k, s, p, d, ceilMode), input),
                "MaxPool2DWithIndicesBackward0", new Tensor[] {input}, "kernel_size", k, "stride", s, "padding", p,
                "dilation", d, "ceil_mode", ceilMode);
    }

    /** {@link dev.linea.nn.AvgPool2d} with a square window, stride = kernel size, no padding. */
    public static Tensor avgPool2d(Tensor input, int kernelSize) {
        return avgPool2d(input, Pairs.of(kernelSize), Pairs.of(kernelSize), Pairs.of(0), false, true);
    }

    /**
     * Average pooling over (N, C, H, W) or (C, H, W): the mean of each window, divided by the window's
     * size including padding when {@code countIncludePad}, else by the number of image elements in it.
     */
    public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
        int[] k = Pairs.check("kernel_size", kernelSize, 1), s = Pairs.check("stride", stride, 1);
        int[] p = Pairs.check("padding", padding, 0);
        return traced(record("AvgPool2DBackward0", Pooling.avgPool2d(input, k, s, p, ceilMode, countIncludePad), input),
                "AvgPool2DBackward0", new Tensor[] {input}, "kernel_size", k, "stride", s, "padding", p,
                "ceil_mode", ceilMode, "count_include_pad", countIncludePad);
    }

    /**
     * Adaptive average pooling to {@code outputSize} (height, width): output cell {@code i} averages input
     * rows {@code floor(i·H/out)} to {@code ceil((i+1)·H/out)} (exclusive), likewise for columns.
     */
    public static Tensor adaptiveAvgPool2d(Tensor input, int[] outputSize) {
        int[] size = Pairs.check("output_size", outputSize, 1);
        return traced(record("AdaptiveAvgPool2DBackward0", Pooling.adaptiveAvgPool2d(input, size), input),
                "AdaptiveAvgPool2DBackward0", new Tensor[] {input}, "output_size", size);
    }

    /** Nearest-neighbour upsampling of (N, C, H, W) or (C, H, W) by {@code scaleFactor} in height and width. */
    public static Tensor upsampleNearest(Tensor input, double scaleFactor) {
        return traced(record("UpsampleNearest2DBackward0",
                Pooling.upsampleNearest2d(input, new double[] {scaleFactor, scaleFactor}), input),
                "UpsampleNearest2DBackward0", new Tensor[] {input}, "scale_factor", scaleFactor);
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
        // the trace also needs the running statistics, which get no gradient
        return traced(record("NativeBatchNormBackward0",
                Normalization.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps),
                input, weight, bias), "NativeBatchNormBackward0", new Tensor[] {input, weight, bias, runningMean, runningVar},
                "training", training, "momentum", momentum, "eps", eps);
    }

    /**
     * Layer normalisation over the last {@code normalizedShape.length} dimensions, like
     * {@code torch.nn.functional.layer_norm}: per slice, {@code y = (x − mean)/√(var + eps)·weight + bias}
     * with the biased variance; {@code weight}, {@code bias} of shape {@code normalizedShape} or null.
     */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length;
        int[] shape = input.shape();
        boolean fits = k >= 1 && k <= shape.length;
        for (int i = 0; fits && i < k; i++) {
            fits = shape[shape.length - k + i] == normalizedShape[i];
        }
        if (!fits) {
            throw new IllegalArgumentException("Given normalized_shape=" + Arrays.toString(normalizedShape)
                    + ", expected input with shape [*, " + Arrays.toString(normalizedShape).substring(1)
                    + ", but got input of size" + Arrays.toString(shape));
        }
        for (Tensor t : new Tensor[] {weight, bias}) {
            if (t != null && !Arrays.equals(t.shape(), normalizedShape)) {
                throw new IllegalArgumentException("layer_norm: weight and bias must have shape "
                        + Arrays.toString(normalizedShape) + ", got " + Arrays.toString(t.shape()));
            }
        }
        int cols = 1;
        for (int d : normalizedShape) {
            cols *= d;
        }
        return record("NativeLayerNormBackward0",
                dev.linea.compute.LayerNormalization.layerNorm(input, cols, weight, bias, (float) eps), input, weight, bias);
    }

    /**
     * The pointwise part of one LSTM step, fused (PyTorch's {@code _thnn_fused_lstm_cell}): with
     * {@code z = inputGates + hiddenGates} (each (N, 4H), gates in the order i, f, g, o) and the cell state
     * {@code cx} (N, H), {@code c' = σ(z_f)·cx + σ(z_i)·tanh(z_g)} and {@code h' = σ(z_o)·tanh(c')}. Returns
     * {@code {h', c'}}, each (N, H), as views of one (2, N, H) result with a single backward node.
     */
    public static Tensor[] lstmCell(Tensor inputGates, Tensor hiddenGates, Tensor cx) {
        if (cx.dim() != 2 || inputGates.dim() != 2 || !Arrays.equals(inputGates.shape(), hiddenGates.shape())
                || inputGates.size(0) != cx.size(0) || inputGates.size(1) != 4 * cx.size(1)) {
            throw new IllegalArgumentException("lstm_cell: expected input_gates and hidden_gates of shape (N, 4H) and cx "
                    + "of shape (N, H), got input_gates " + Arrays.toString(inputGates.shape()) + ", hidden_gates "
                    + Arrays.toString(hiddenGates.shape()) + ", cx " + Arrays.toString(cx.shape()));
        }
        Tensor hc = record("ThnnFusedLstmCellBackward0", dev.linea.compute.Recurrent.lstmCell(inputGates, hiddenGates, cx),
                inputGates, hiddenGates, cx);
        return new Tensor[] {hc.select(0, 0), hc.select(0, 1)};
    }

    /**
     * The recurrence of one LSTM layer in one direction, over input projections computed beforehand for
     * every step ({@code xw} (T, N, 4H) = x·W_ihᵀ + b_ih, as cuDNN and PyTorch do): per step t (T−1 down to 0
     * when {@code reverse}) {@code h, c = lstmCell(xw[t], h·W_hhᵀ + b_hh, c)} from {@code h0}, {@code c0}
     * (N, H); {@code bHh} may be null. Returns {@code {output (T, N, H), h_n, c_n}}. One graph node for the
     * whole sequence, as PyTorch 2's oneDNN layer: its backward computes the weight gradient of all steps
     * in one matrix product.
     */
    public static Tensor[] lstmRecurrence(Tensor xw, Tensor h0, Tensor c0, Tensor wHh, Tensor bHh, boolean reverse) {
        if (xw.dim() != 3 || h0.dim() != 2 || !Arrays.equals(h0.shape(), c0.shape()) || xw.size(1) != h0.size(0)
                || xw.size(2) != 4 * h0.size(1) || !Arrays.equals(wHh.shape(), new int[] {4 * h0.size(1), h0.size(1)})) {
            throw new IllegalArgumentException("lstm: expected input gates (T, N, 4H), h0 and c0 (N, H), weight_hh "
                    + "(4H, H), got " + Arrays.toString(xw.shape()) + ", " + Arrays.toString(h0.shape()) + ", "
                    + Arrays.toString(c0.shape()) + ", " + Arrays.toString(wHh.shape()));
        }
        int steps = xw.size(0);
        if (steps == 0) {
            throw new IllegalArgumentException("Expected sequence length to be larger than 0 in RNN");
        }
        Tensor y = record("MkldnnRnnLayerBackward0",
                dev.linea.compute.Recurrent.lstmSequence(xw, h0, c0, wHh, bHh, reverse), xw, h0, c0, wHh, bHh);
        return new Tensor[] {y.narrow(0, 0, steps), y.select(0, reverse ? 0 : steps - 1), y.select(0, steps)};
    }

    /**
     * Channel dropout, like {@code torch.nn.functional.dropout2d}: in training, zeroes each whole channel of
     * (N, C, H, W) (or (C, H, W)) with probability p and scales the others by 1/(1-p).
     */
    public static Tensor dropout2d(Tensor x, float p, boolean training) {
        return dropout2d(x, p, training, Generator.global());
    }

    /** PyTorch's check of a dropout probability, and a generator to draw the mask from. */
    private static void checkDropout(float p, Generator gen) {
        java.util.Objects.requireNonNull(gen, "generator");
        Dropouts.checked(p);
    }

    /** {@link #dropout2d(Tensor, float, boolean)} drawing its channel mask from {@code gen}. */
    public static Tensor dropout2d(Tensor x, float p, boolean training, Generator gen) {
        checkDropout(p, gen);
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
        Tensor mask = Tensor.rand(gen, maskShape).ge(p).mul(1f / (1f - p));
        return x.mul(mask);
    }

    // ---------------------------------------------------------------- embeddings and one-hot (int64 indices)

    /** {@link #embedding(Tensor, Tensor, Integer)} without a padding index. */
    public static Tensor embedding(Tensor input, Tensor weight) {
        return embedding(input, weight, null);
    }

    /**
     * A lookup table, like {@code torch.nn.functional.embedding}: for int64 indices of any shape,
     * {@code out[..., :] = weight[input[...], :]}, shape (input shape..., embedding_dim). The weight's
     * gradient adds each upstream row into the row it was read from, except for {@code paddingIdx}
     * (negative counts from the end; null for none), whose row gets no gradient.
     */
    public static Tensor embedding(Tensor input, Tensor weight, Integer paddingIdx) {
        return embedding(input, weight, paddingIdx, null, 2f, false);
    }

    /**
     * {@link #embedding(Tensor, Tensor, Integer)} with PyTorch's other options. {@code maxNorm} (null for
     * none): before the lookup, each row the input refers to whose {@code normType}-norm exceeds it is
     * scaled in place, without a gradient, by {@code maxNorm / (norm + 1e-7)} (PyTorch's
     * {@code embedding_renorm_}; the weight's version changes). {@code scaleGradByFreq}: each row's gradient
     * is divided by how often its index occurs in this input.
     */
    public static Tensor embedding(Tensor input, Tensor weight, Integer paddingIdx, Float maxNorm, float normType,
                                   boolean scaleGradByFreq) {
        if (input.dtype() != DType.INT64) {
            throw new IllegalArgumentException("Expected tensor for argument #1 'indices' to have one of the following "
                    + "scalar types: Long, Int; but got torch." + input.dtype().scalarName() + "Tensor instead (while "
                    + "checking arguments for embedding)");
        }
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("'weight' must be 2-D, got shape " + Pairs.shape(weight.shape()));
        }
        int num = weight.size(0), dim = weight.size(1);
        int pad = paddingIdx == null ? Integer.MIN_VALUE : Embeddings.paddingIndex(paddingIdx, num);
        int[] idx = Indexing.vectorIndex("embedding", input.reshape(-1), num);
        if (maxNorm != null) {
            Embeddings.renorm(weight, idx, maxNorm, normType);
        }
        int[] outShape = Arrays.copyOf(input.shape(), input.dim() + 1);
        outShape[input.dim()] = dim;
        Tensor out = Indexing.indexSelect(weight, 0, idx).reshape(outShape);
        int[] wShape = weight.shape();
        return Autograd.record("EmbeddingBackward0", out, g -> {
            Tensor rows = g.reshape(idx.length, dim);
            if (scaleGradByFreq) {
                rows = rows.mul(Embeddings.inverseCounts(idx, num));
            }
            return new Tensor[] {Indexing.indexAdd(Tensor.zeros(wShape), 0, idx, rows, pad)};
        }, weight);
    }

    /**
     * One-hot encoding of int64 class indices, like {@code torch.nn.functional.one_hot}: shape
     * (input shape..., numClasses), int64; {@code numClasses = -1} takes the largest index + 1.
     */
    public static Tensor oneHot(Tensor input, int numClasses) {
        return Indexing.oneHot(input, numClasses);
    }

    // ---------------------------------------------------------------- losses

    /** Cross-entropy of logits (N, C) against class indices (N); mean over the batch. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return crossEntropy(logits, target, Reduction.MEAN, 0f);
    }

    /**
     * Cross-entropy of raw scores (logits) against classes, with log-softmax built in, like
     * {@code torch.nn.functional.cross_entropy}: {@code loss_i = −Σ_c q_ic · log softmax(x_i)_c}, where
     * {@code q_i} is the one-hot target (class indices, shape (N)) or a given distribution (shape (N, C)),
     * blended with the uniform distribution by {@code labelSmoothing} ε: {@code q = (1−ε)·q + ε/C}. Input
     * (N, C) or (C). When every row of the input already is a probability distribution, a warning says
     * once that softmax is being applied twice.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction, float labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0, got " + labelSmoothing);
        }
        return crossEntropy(input, target, null, DEFAULT_IGNORE_INDEX, reduction, labelSmoothing);
    }

    private static void warnIfProbabilities(Tensor input, int n, int c) {
        if (WARNED_PROBABILITIES.get() || c < 2 || !Losses.rowsAreDistributions(input, n, c)) {
            return;
        }
        if (WARNED_PROBABILITIES.compareAndSet(false, true)) {
            System.err.println("Linea warning: CrossEntropyLoss received rows that are already probability "
                    + "distributions (each in [0, 1], summing to 1). CrossEntropyLoss applies log-softmax itself, "
                    + "so softmax is being applied twice, which flattens the gradients and slows learning. "
                    + "Pass raw logits (remove the final softmax), or use NLLLoss on logSoftmax output.");
        }
    }

    /**
     * Negative log-likelihood of log-probabilities (N, C) (e.g. from {@link #logSoftmax}) against class
     * indices (N), like {@code torch.nn.functional.nll_loss}: {@code −input[i, target[i]]}, reduced.
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Reduction reduction) {
        return nllLoss(input, target, null, DEFAULT_IGNORE_INDEX, reduction);
    }

    // ---------------------------------------------------------------- class losses with PyTorch's options (issue 11)

    /** PyTorch's default {@code ignore_index} of cross-entropy and NLL. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    /**
     * Cross-entropy with all of {@code torch.nn.functional.cross_entropy}'s options: input (C), (N, C) or
     * (N, C, d1, ...); target class indices (N, d1, ...) or class probabilities of the input's shape;
     * {@code weight} (C) or null scales each class's terms ({@code loss = −w[t]·logp[t]}, the mean divided
     * by {@code Σ w[t]}); targets equal to {@code ignoreIndex} add nothing, to the loss or to the mean's
     * denominator; label smoothing as {@link #crossEntropy(Tensor, Tensor, Reduction, float)}.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction,
                                      float labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0, got " + labelSmoothing);
        }
        if (input.dim() <= 2) {
            int[] nc = ClassTargets.checkLogits("CrossEntropyLoss", input);
            warnIfProbabilities(input, nc[0], nc[1]);
            // The fused kernel (log-softmax and gradient in one pass) covers the common case.
            if (weight == null && reduction != Reduction.NONE && labelSmoothing == 0
                    && !ClassLosses.isDistribution(input, target)) {
                ClassLosses.Layout l = ClassLosses.Layout.of("CrossEntropyLoss", input);
                int[] t = ClassLosses.classIndices("CrossEntropyLoss", target, l, ignoreIndex);
                if (Arrays.stream(t).noneMatch(k -> k == ignoreIndex)) {
                    return record("NllLossBackward0", Losses.crossEntropyIndices(input, t, nc[0], nc[1],
                            reduce(reduction)), input);
                }
            }
        }
        return ClassLosses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /**
     * NLL with {@code torch.nn.functional.nll_loss}'s options: log-probabilities (C), (N, C) or
     * (N, C, d1, ...), class indices (N, d1, ...); {@code loss = −w[t]·input[t]}, 0 where the target is
     * {@code ignoreIndex}; the mean divides by {@code Σ w[t]} over the targets not ignored.
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        return ClassLosses.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    /**
     * Mean squared error, {@code (x − y)²} per element, reduced. Target and input broadcast, with PyTorch's
     * warning when their shapes differ.
     */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        return mseLoss(input, target, Reduction.MEAN);
    }

    /** {@link #mseLoss(Tensor, Tensor)} with the given reduction. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return RegressionLosses.mse(input, target, reduction);
    }

    /**
     * Binary cross-entropy of probabilities in [0, 1] against targets of the same shape, like
     * {@code torch.nn.functional.binary_cross_entropy}: {@code −(y·log x + (1−y)·log(1−x))}, each log
     * clamped at −100 (so an input of exactly 0 or 1 gives a finite loss and gradient).
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Reduction reduction) {
        checkSameShape("BCELoss", input, target);
        float[] v = input.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0 && v[i] <= 1)) {
                throw new IllegalArgumentException("BCELoss: all input values must be between 0 and 1, but element "
                        + i + " is " + v[i] + " (for logits use BCEWithLogitsLoss)");
            }
        }
        return reduce(record("BinaryCrossEntropyBackward0", Losses.binaryCrossEntropy(input, target), input), reduction);
    }

    /**
     * Sigmoid and binary cross-entropy in one stable formula, like
     * {@code torch.nn.functional.binary_cross_entropy_with_logits}: {@code max(x,0) − x·y + log(1 + e^−|x|)}
     * per element; with {@code posWeight} p (broadcast over the last dimension, or null):
     * {@code (1−y)·x + (1+(p−1)·y)·(log(1+e^−|x|) + max(−x,0))}.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor posWeight, Reduction reduction) {
        checkSameShape("BCEWithLogitsLoss", input, target);
        Tensor perElement;
        try (var scope = dev.linea.autograd.GradMode.noGrad()) {
            Tensor softplusNegAbs = input.abs().neg().exp().add(1f).log();
            if (posWeight == null) {
                perElement = input.clampMin(0f).sub(input.mul(target)).add(softplusNegAbs);
            } else {
                Tensor logWeight = posWeight.sub(1f).mul(target).add(1f);
                Tensor logSigmoidNeg = softplusNegAbs.add(input.neg().clampMin(0f));
                perElement = target.rsub(1f).mul(input).add(logWeight.mul(logSigmoidNeg));
            }
        }
        // One rule for the whole formula, as PyTorch's: differentiating the composition above through
        // max(x, 0) and |x| gives 1 − y instead of σ(0) − y = ½ − y at a logit of exactly 0.
        return reduce(Autograd.record("BinaryCrossEntropyWithLogitsBackward0", perElement, g -> {
            Tensor sig = input.detach().sigmoid();
            if (posWeight == null) {
                return new Tensor[] {sig.sub(target).mul(g), input.requiresGrad() || target.requiresGrad()
                        ? input.detach().neg().mul(g) : null};
            }
            Tensor pt = posWeight.mul(target);
            Tensor dInput = pt.add(1f).sub(target).mul(sig).sub(pt).mul(g);
            // d/dy = log σ(−x) − p·log σ(x), with log σ(x) = −softplus(−x) computed stably.
            Tensor x = input.detach();
            Tensor logSigmoid = x.abs().neg().exp().add(1f).log().add(x.neg().clampMin(0f)).neg();
            Tensor dTarget = logSigmoid.sub(x).sub(logSigmoid.mul(posWeight)).mul(g);
            return new Tensor[] {dInput, dTarget};
        }, input, target), reduction);
    }

    /** Mean absolute error {@code |x − y|} per element, reduced, as {@code torch.nn.functional.l1_loss}. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return RegressionLosses.l1(input, target, reduction);
    }

    /**
     * {@code torch.nn.functional.smooth_l1_loss}: per element {@code |d| < β ? 0.5·d²/β : |d| − 0.5·β} with
     * {@code d = x − y} (β = 0 gives L1; β &lt; 0 is an error), reduced.
     */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, float beta) {
        return RegressionLosses.smoothL1(input, target, reduction, beta);
    }

    /** {@code torch.nn.functional.huber_loss}: {@code |d| ≤ δ ? 0.5·d² : δ·(|d| − 0.5·δ)}, δ &gt; 0, reduced. */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, float delta) {
        return RegressionLosses.huber(input, target, reduction, delta);
    }

    /**
     * {@code torch.nn.functional.kl_div} of log-probabilities {@code input} against {@code target}
     * (probabilities, or log-probabilities with {@code logTarget}): {@code t·(log t − x)} per element;
     * {@code reduction} one of {@code "none"}, {@code "mean"}, {@code "sum"}, {@code "batchmean"} (sum over
     * the batch size: the KL divergence per example).
     */
    public static Tensor klDiv(Tensor input, Tensor target, String reduction, boolean logTarget) {
        return RegressionLosses.klDiv(input, target, reduction, logTarget);
    }

    /** Applies a loss reduction to per-element values. */
    static Tensor reduce(Tensor perElement, Reduction reduction) {
        return switch (reduction) {
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
            case NONE -> perElement;
        };
    }

    private static Losses.Reduce reduce(Reduction r) {
        return switch (r) {
            case MEAN -> Losses.Reduce.MEAN;
            case SUM -> Losses.Reduce.SUM;
            case NONE -> Losses.Reduce.NONE;
        };
    }

    private static void checkSameShape(String loss, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(loss + ": input shape " + Arrays.toString(input.shape())
                    + " and target shape " + Arrays.toString(target.shape()) + " must be the same");
        }
    }
}
