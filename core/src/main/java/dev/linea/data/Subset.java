package dev.linea.data;

import dev.linea.Generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The examples of a dataset at chosen indices, like {@code torch.utils.data.Subset}: example {@code i} is
 * {@code dataset.get(indices[i])}, and batches are the dataset's own batches of the mapped indices (no copy).
 * {@link #randomSplit} divides a dataset into disjoint random parts, as {@code torch.utils.data.random_split}.
 */
public final class Subset implements SupervisedDataset {
    private final SupervisedDataset dataset;
    private final int[] indices;

    /**
     * @param indices positions in {@code dataset}, each in {@code [0, dataset.size())}
     * @throws IndexOutOfBoundsException when an index is outside the dataset
     */
    public Subset(SupervisedDataset dataset, int[] indices) {
        this.dataset = Objects.requireNonNull(dataset);
        this.indices = indices.clone();
        for (int i : this.indices) {
            Objects.checkIndex(i, dataset.size());
        }
    }

    /** The dataset this is a part of. */
    public SupervisedDataset dataset() {
        return dataset;
    }

    /** The positions in {@link #dataset()}, a copy. */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Example get(int index) {
        return dataset.get(indices[Objects.checkIndex(index, size())]);
    }

    @Override
    public Batch batch(int[] positions) {
        int[] mapped = new int[positions.length];
        for (int b = 0; b < positions.length; b++) {
            mapped[b] = indices[Objects.checkIndex(positions[b], size())];
        }
        return dataset.batch(mapped);
    }

    /**
     * Disjoint parts of {@code dataset} with the given sizes, which must add up to its size, drawn from one random
     * permutation of its indices (Fisher-Yates from {@code generator}): the same generator state gives the same
     * parts.
     *
     * @throws IllegalArgumentException when a length is negative or they do not add up to the dataset's size
     */
    public static List<Subset> randomSplit(SupervisedDataset dataset, Generator generator, int... lengths) {
        long sum = 0;
        for (int l : lengths) {
            if (l < 0) {
                throw new IllegalArgumentException("random_split lengths must be non-negative, got " + Arrays.toString(lengths));
            }
            sum += l;
        }
        if (sum != dataset.size()) {
            throw new IllegalArgumentException("Sum of input lengths does not equal the length of the input dataset! ("
                    + Arrays.toString(lengths) + " add up to " + sum + ", the dataset has " + dataset.size() + ")");
        }
        int[] perm = new int[dataset.size()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        for (int i = perm.length - 1; i > 0; i--) {
            int j = generator.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        List<Subset> parts = new ArrayList<>(lengths.length);
        int start = 0;
        for (int l : lengths) {
            parts.add(new Subset(dataset, Arrays.copyOfRange(perm, start, start + l)));
            start += l;
        }
        return parts;
    }

    /**
     * As {@link #randomSplit(SupervisedDataset, Generator, int...)} with fractions adding up to 1, turned into
     * lengths as PyTorch does: each {@code floor(size × fraction)}, then the remainder handed out one by one to the
     * parts in order.
     */
    public static List<Subset> randomSplit(SupervisedDataset dataset, Generator generator, double... fractions) {
        double total = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("Fraction at index " + Arrays.stream(fractions).boxed().toList().indexOf(f)
                        + " is not between 0 and 1: " + f);
            }
            total += f;
        }
        if (Math.abs(total - 1) > 1e-9) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "random_split fractions must add up to 1, got %s (sum %s)", Arrays.toString(fractions), total));
        }
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        int given = 0;
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = (int) Math.floor(n * fractions[i]);
            given += lengths[i];
        }
        for (int i = 0; given < n; i = (i + 1) % lengths.length, given++) {
            lengths[i]++;
        }
        return randomSplit(dataset, generator, lengths);
    }
}
