package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.internal.PyRepr;
import dev.linea.nn.functional.F;
import dev.linea.nn.functional.Reduction;

/**
 * Cross-entropy of raw scores (logits) against classes, with log-softmax built in:
 * {@code loss_i = -Σ_c q_ic · log softmax(x_i)_c}, where {@code q_i} is the one-hot target (class
 * indices, shape (N)) or a given distribution (shape (N, C)), blended with the uniform distribution by
 * {@code labelSmoothing} ε: {@code q = (1-ε)·q + ε/C}. Input: (N, C) or (C). Reduced by mean (over
 * the batch) by default.
 *
 * <p>Computed by {@link F#crossEntropy(Tensor, Tensor, Reduction, float)}. Forward and backward are fused: one stable log-softmax pass, and the gradient
 * {@code (softmax(x) - q)·scale} without building a graph of small ops.
 *
 * <p>Because softmax is applied here, feeding the output of a Softmax layer in applies it twice (a
 * common slip that slows learning); when every row of the input already is a probability
 * distribution, a warning says so, once.
 */
public class CrossEntropyLoss extends Loss {
    private final float labelSmoothing;
    private final Tensor weight;
    private final int ignoreIndex;

    public CrossEntropyLoss() {
        this(Reduction.MEAN, 0f);
    }

    public CrossEntropyLoss(Reduction reduction) {
        this(reduction, 0f);
    }

    public CrossEntropyLoss(Reduction reduction, float labelSmoothing) {
        this(null, F.DEFAULT_IGNORE_INDEX, reduction, labelSmoothing);
    }

    /**
     * PyTorch's full constructor: {@code weight} (C) or null rescales each class (a buffer, in the state
     * dict as {@code weight}, as PyTorch's); targets equal to {@code ignoreIndex} (default -100) are skipped.
     */
    public CrossEntropyLoss(Tensor weight, int ignoreIndex, Reduction reduction, float labelSmoothing) {
        super(reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0, got " + labelSmoothing);
        }
        this.labelSmoothing = labelSmoothing;
        this.weight = weight == null ? null : registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    @Override
    public String extraRepr() {
        return labelSmoothing > 0 ? "label_smoothing=" + PyRepr.pyFloat(labelSmoothing) : "";
    }
}
