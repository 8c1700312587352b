package dev.linea.nn.functional;

import dev.linea.Tensor;
import dev.linea.autograd.GradMode;

/** The padding-index rule shared by {@code F.embedding} and {@code nn.Embedding}, and their max-norm and frequency rules. */
public final class Embeddings {
    private Embeddings() {}

    /**
     * {@code paddingIdx} resolved against {@code numEmbeddings} (a negative one counts from the end), with
     * PyTorch's assertion message when it is outside {@code [-numEmbeddings, numEmbeddings)}.
     */
    public static int paddingIndex(int paddingIdx, int numEmbeddings) {
        if (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) {
            throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
        }
        return paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    }

    /**
     * PyTorch's {@code embedding_renorm_}: each distinct row of {@code idx} whose {@code normType}-norm exceeds
     * {@code maxNorm} is multiplied in place by {@code maxNorm / (norm + 1e-7)}, with no gradient.
     */
    static void renorm(Tensor weight, int[] idx, float maxNorm, float normType) {
        int[] rows = java.util.Arrays.stream(idx).distinct().sorted().toArray();
        try (var scope = GradMode.noGrad()) {
            for (int r : rows) {
                Tensor row = weight.select(0, r);
                double norm = row.norm(normType).item();
                if (norm > maxNorm) {
                    row.mul_((float) (maxNorm / (norm + 1e-7)));
                }
            }
        }
    }

    /** A column (n, 1) of {@code 1 / count(idx[i])}: the per-row gradient scale of {@code scale_grad_by_freq}. */
    static Tensor inverseCounts(int[] idx, int numEmbeddings) {
        int[] counts = new int[numEmbeddings];
        for (int i : idx) {
            counts[i]++;
        }
        float[] scale = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            scale[i] = 1f / counts[idx[i]];
        }
        return Tensor.wrap(scale, idx.length, 1);
    }
}
