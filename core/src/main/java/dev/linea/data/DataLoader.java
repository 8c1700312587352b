package dev.linea.data;

import dev.linea.Generator;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Serves a dataset as mini-batches, like {@code torch.utils.data.DataLoader}:
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(FashionMNIST.sample(Split.TRAIN))
 *         .batchSize(64).shuffle(true).seed(42).build();
 * for (int epoch = 0; epoch < 5; epoch++) {
 *     for (Batch b : loader.epoch(epoch)) {   // inputs (64, 1, 28, 28), targets (64)
 *         ...
 *     }
 * }
 * }</pre>
 * Shuffling is reproducible: the order of epoch {@code e} depends only on the seed and {@code e}, so
 * a run resumed at epoch {@code e} sees the same batches as an uninterrupted one. Iterating the
 * loader itself ({@code for (Batch b : loader)}) runs epochs 0, 1, 2... in turn.
 *
 * <p>While the caller trains on one batch, a daemon thread builds the next ones (up to
 * {@code prefetch}, default 2; 0 builds them on the calling thread). An exception thrown while
 * building a batch is rethrown by the iterator's {@code next()}. The thread ends with the epoch, on
 * {@link Batches#close()}, or, when a loop breaks early without closing, once the iterator is
 * garbage-collected.
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset<Example> dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final int prefetch;
    private int nextEpoch;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.prefetch = b.prefetch;
    }

    /** A loader over {@code dataset} in order, batches of {@code batchSize}, last batch kept. */
    public DataLoader(Dataset<Example> dataset, int batchSize) {
        this(builder(dataset).batchSize(batchSize));
    }

    /** Options for a loader over {@code dataset}. */
    public static Builder builder(Dataset<Example> dataset) {
        return new Builder(dataset);
    }

    /** The loader's options; defaults: batch size 1, no shuffle, seed 0, keep the last batch, prefetch 2. */
    public static final class Builder {
        private final Dataset<Example> dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private int prefetch = 2;

        private Builder(Dataset<Example> dataset) {
            this.dataset = Objects.requireNonNull(dataset);
        }

        /** Examples per batch, at least 1. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Whether each epoch visits the examples in a fresh random order. */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Seed of the shuffling; the same seed gives the same orders on every run. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether to skip the last batch when it is smaller than the batch size. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Batches built ahead on a background thread, 0 to 4; 0 builds them on the caller's thread. */
        public Builder prefetch(int prefetch) {
            if (prefetch < 0 || prefetch > 4) {
                throw new IllegalArgumentException("prefetch must be 0 to 4, got " + prefetch);
            }
            this.prefetch = prefetch;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }

    /** The dataset served. */
    public Dataset<Example> dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch: {@code ceil(size / batchSize)}, or {@code floor} with dropLast. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Same as {@link #numBatches()}, PyTorch's {@code len(loader)}. */
    public int len() {
        return numBatches();
    }

    /**
     * The order in which epoch {@code epoch} visits the dataset: {@code 0..size-1}, or a permutation
     * drawn (Fisher-Yates) from a generator seeded by the seed and the epoch.
     */
    public int[] order(int epoch) {
        int n = dataset.size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (shuffle) {
            // The golden-ratio stride keeps (seed, epoch) pairs apart: seed s epoch 1 != seed s+1 epoch 0.
            Generator g = new Generator(seed + 0x9E3779B97F4A7C15L * (epoch + 1L));
            for (int i = n - 1; i > 0; i--) {
                int j = g.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return idx;
    }

    /** The batches of one epoch; each {@code iterator()} call runs the epoch afresh, identically. */
    public Iterable<Batch> epoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be non-negative, got " + epoch);
        }
        return () -> new Batches(this, epoch, 0);
    }

    /**
     * The batches of epoch {@code epoch} from batch {@code fromBatch} on: the same batches an
     * uninterrupted epoch would give from there, for resuming a run stopped mid-epoch.
     */
    public Batches epoch(int epoch, int fromBatch) {
        if (epoch < 0 || fromBatch < 0 || fromBatch > numBatches()) {
            throw new IllegalArgumentException("no batch " + fromBatch + " in epoch " + epoch + " (the epoch has "
                    + numBatches() + " batches)");
        }
        return new Batches(this, epoch, fromBatch);
    }

    /** The next epoch's batches: epoch 0 on the first call, then 1, 2, ... */
    @Override
    public Batches iterator() {
        int e;
        synchronized (this) {
            e = nextEpoch++;
        }
        return new Batches(this, e, 0);
    }

    /** The examples of batch {@code b} of an epoch's order, collated. */
    Batch makeBatch(int[] order, int b) {
        int from = b * batchSize;
        int[] idx = Arrays.copyOfRange(order, from, Math.min(from + batchSize, order.length));
        return dataset instanceof SupervisedDataset s ? s.batch(idx) : Collate.examples(dataset, idx);
    }

    int prefetch() {
        return prefetch;
    }

    @Override
    public String toString() {
        return "DataLoader(batchSize=" + batchSize + ", shuffle=" + shuffle + ", seed=" + seed + ", dropLast="
                + dropLast + ", prefetch=" + prefetch + ", batches=" + numBatches() + ")";
    }

    /**
     * The batches of one epoch. Close it (try-with-resources) to stop the prefetch thread at once
     * when leaving a loop early; it also stops on its own at the end of the epoch, after an error,
     * or when this iterator is garbage-collected.
     */
    public static final class Batches implements Iterator<Batch>, AutoCloseable {
        private final DataLoader loader;
        private final int[] order;
        private final int count;
        private final Prefetcher prefetcher; // null when batches are built on the caller's thread
        private int next;

        private Batches(DataLoader loader, int epoch, int first) {
            this.loader = loader;
            this.order = loader.order(epoch);
            this.count = loader.numBatches();
            this.next = first;
            this.prefetcher = loader.prefetch() > 0 && first < count
                    ? Prefetcher.start(this, loader, order, first, count, loader.prefetch()) : null;
        }

        /** Batches left in this epoch. */
        public int remaining() {
            return count - next;
        }

        @Override
        public boolean hasNext() {
            return next < count;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the epoch has " + count + " batches");
            }
            Batch b;
            try {
                b = prefetcher == null ? loader.makeBatch(order, next) : prefetcher.take();
            } catch (RuntimeException | Error e) {
                close(); // the epoch ends with the error
                throw e;
            }
            next++;
            if (next == count) {
                close();
            }
            return b;
        }

        /** Stops the prefetch thread (waiting for it to end); the iterator then has no more batches. */
        @Override
        public void close() {
            next = count;
            if (prefetcher != null) {
                prefetcher.stop();
            }
        }
    }
}
