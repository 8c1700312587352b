package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.nn.functional.Embeddings;
import dev.linea.nn.functional.F;
import dev.linea.nn.init.Init;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, like
 * {@code torch.nn.Embedding}: input int64 indices of any shape, output (input shape..., embeddingDim).
 * The weight (numEmbeddings, embeddingDim) starts N(0, 1), as PyTorch's; with a {@code paddingIdx} that
 * row starts at zero and never gets a gradient (so it stays whatever it is set to).
 */
public class Embedding extends Module {
    public final int numEmbeddings;
    public final int embeddingDim;
    /** The padding row (already resolved when given negative), or null. */
    public final Integer paddingIdx;
    public final Parameter weight;

    /** A table without a padding index. */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null);
    }

    /** A table whose row {@code paddingIdx} (negative counts from the end; null for none) is padding. */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding needs positive sizes, got num_embeddings=" + numEmbeddings
                    + ", embedding_dim=" + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : Embeddings.paddingIndex(paddingIdx, numEmbeddings);
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
        return recordOutput(F.embedding(input, weight, paddingIdx));
    }

    @Override
    public String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx != null ? ", padding_idx=" + paddingIdx : "");
    }
}
