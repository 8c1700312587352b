package dev.linea.nn.functional;

/** The padding-index rule shared by {@code F.embedding} and {@code nn.Embedding}. */
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
}
