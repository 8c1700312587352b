package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.nn.functional.Embeddings;
import dev.linea.nn.functional.F;
import dev.linea.internal.PyRepr;
import dev.linea.nn.init.Init;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, like
 * {@code torch.nn.Embedding}: input int64 indices of any shape, output (input shape..., embeddingDim).
 * The weight (numEmbeddings, embeddingDim) starts N(0, 1), as PyTorch's; with a {@code paddingIdx} that
 * row starts at zero and never gets a gradient (so it stays whatever it is set to). With a {@code maxNorm},
 * each forward first rescales in place every row it looks up whose {@code normType}-norm exceeds it; with
 * {@code scaleGradByFreq}, a row's gradient is divided by how often the input uses it (see
 * {@link F#embedding(Tensor, Tensor, Integer, Float, float, boolean)}).
 */
public class Embedding extends Module {
    public final int numEmbeddings;
    public final int embeddingDim;
    /** The padding row (already resolved when given negative), or null. */
    public final Integer paddingIdx;
    /** The largest norm a looked-up row keeps, or null for no limit. */
    public final Float maxNorm;
    /** The p of the norm {@link #maxNorm} is measured in (2 by default). */
    public final float normType;
    /** Whether each row's gradient is divided by its index's frequency in the input. */
    public final boolean scaleGradByFreq;
    public final Parameter weight;

    /** A table without a padding index. */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null);
    }

    /** A table whose row {@code paddingIdx} (negative counts from the end; null for none) is padding. */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, null, 2f, false);
    }

    /**
     * PyTorch's {@code Embedding(num_embeddings, embedding_dim, padding_idx, max_norm, norm_type,
     * scale_grad_by_freq)}; {@code paddingIdx} and {@code maxNorm} may be null.
     */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Float maxNorm, float normType,
                     boolean scaleGradByFreq) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding needs positive sizes, got num_embeddings=" + numEmbeddings
                    + ", embedding_dim=" + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : Embeddings.paddingIndex(paddingIdx, numEmbeddings);
        this.maxNorm = maxNorm;
        this.normType = normType;
        this.scaleGradByFreq = scaleGradByFreq;
        this.weight = registerParameter("weight", new Parameter(Tensor.zeros(numEmbeddings, embeddingDim)));
        resetParameters();
    }

    /** Re-draws the weight N(0, 1) from {@link #generator()} and zeroes the padding row, as PyTorch's {@code reset_parameters}. */
    public void resetParameters() {
        resetParameters(generator());
    }

    @Override
    public void resetParameters(dev.linea.Generator gen) {
        Init.normal_(weight, 0, 1, java.util.Objects.requireNonNull(gen, "generator"));
        if (paddingIdx != null) {
            try (var scope = GradMode.noGrad()) {
                weight.select(0, paddingIdx).fill_(0f);
            }
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.embedding(input, weight, paddingIdx, maxNorm, normType, scaleGradByFreq));
    }

    @Override
    public String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx != null ? ", padding_idx=" + paddingIdx : "")
                + (maxNorm != null ? ", max_norm=" + PyRepr.pyFloat(maxNorm) : "")
                + (normType != 2f ? ", norm_type=" + PyRepr.pyFloat(normType) : "")
                + (scaleGradByFreq ? ", scale_grad_by_freq=True" : "");
    }
}
