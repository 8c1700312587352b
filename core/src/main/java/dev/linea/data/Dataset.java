package dev.linea.data;

/**
 * A finite, indexable collection of samples, like {@code torch.utils.data.Dataset}: {@link #get}
 * must return the same sample for the same index every time, so that a {@link DataLoader} seeded
 * the same way sees the same data. Implementations should be safe to call from the loader's
 * prefetch thread (read-only datasets are).
 *
 * @param <T> the sample type, usually {@link Example}
 */
public interface Dataset<T> {
    /** Number of samples. */
    int size();

    /** Sample {@code index}, {@code 0 <= index < size()}. */
    T get(int index);
}
