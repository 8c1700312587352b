package dev.linea.data;

/**
 * A dataset of {@link Example}s that can also build a whole {@link Batch}. The default copies each
 * example's rows into one array; datasets with their data in flat arrays override {@link #batch}
 * with a single tight loop, so loading a batch allocates two arrays instead of a tensor per sample.
 */
public interface SupervisedDataset extends Dataset<Example> {
    /**
     * The examples at {@code indices}, stacked: inputs (B, ...input shape), targets (B, ...target shape).
     *
     * @throws IndexOutOfBoundsException when an index is outside {@code [0, size())}
     * @throws IllegalArgumentException when the examples' shapes differ
     */
    default Batch batch(int[] indices) {
        return Collate.examples(this, indices);
    }
}
