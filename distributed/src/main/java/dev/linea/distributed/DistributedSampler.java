package dev.linea.distributed;

import dev.linea.data.Batch;
import dev.linea.data.DataLoader;
import dev.linea.data.Example;
import dev.linea.data.SupervisedDataset;

/**
 * Which examples each rank sees in an epoch: PyTorch's {@code torch.utils.data.DistributedSampler}. The
 * epoch's order is the shuffle of a {@link DataLoader} with the same seed ({@link DataLoader#order}, drawn from
 * (seed, epoch), the same on every rank), padded or truncated to {@code numSamples × numReplicas}, and rank
 * {@code r} takes positions {@code r, r + N, r + 2N, …}. So every rank has the same number of examples, hence of
 * batches, and with one replica the order is exactly a shuffled loader's.
 *
 * <p>PyTorch's rule for the length: without {@code dropLast}, {@code numSamples = ceil(size / N)} and the
 * order is padded by repeating its start; with it, {@code numSamples = ceil((size − N) / N)} when {@code N}
 * does not divide the size, and the order's tail is dropped.
 */
public final class DistributedSampler {
    private final int size;
    private final int numReplicas;
    private final int rank;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final DataLoader shuffler;

    /** A shuffling sampler over {@code size} examples for rank {@code rank} of {@code numReplicas}, last examples padded. */
    public DistributedSampler(int size, int numReplicas, int rank, long seed) {
        this(size, numReplicas, rank, true, seed, false);
    }

    /**
     * @throws IllegalArgumentException when {@code rank} is not in {@code [0, numReplicas)} (PyTorch's message),
     *                                  or the data set is empty
     */
    public DistributedSampler(int size, int numReplicas, int rank, boolean shuffle, long seed, boolean dropLast) {
        if (numReplicas < 1) {
            throw new IllegalArgumentException("numReplicas must be at least 1, got " + numReplicas);
        }
        if (rank < 0 || rank >= numReplicas) {
            throw new IllegalArgumentException("Invalid rank " + rank + ", rank should be in the interval [0, "
                    + (numReplicas - 1) + "]");
        }
        if (size < 1 || (dropLast && size < numReplicas)) {
            throw new IllegalArgumentException("a data set of " + size + " examples cannot be shared by " + numReplicas
                    + " replicas" + (dropLast ? " with dropLast" : ""));
        }
        this.size = size;
        this.numReplicas = numReplicas;
        this.rank = rank;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
        this.shuffler = DataLoader.builder(new Sized(size)).batchSize(1).shuffle(shuffle).seed(seed).build();
    }

    /** The examples each rank gets per epoch. */
    public int numSamples() {
        if (dropLast && size % numReplicas != 0) {
            return (size - numReplicas + numReplicas - 1) / numReplicas;
        }
        return (size + numReplicas - 1) / numReplicas;
    }

    /** {@code numSamples() × numReplicas}: the length of the padded (or truncated) order. */
    public int totalSize() {
        return numSamples() * numReplicas;
    }

    /** This rank's dataset indices for {@code epoch} (PyTorch's {@code set_epoch} then {@code iter}). */
    public int[] indices(int epoch) {
        int[] order = shuffler.order(epoch);
        int[] mine = new int[numSamples()];
        for (int i = 0; i < mine.length; i++) {
            int pos = rank + i * numReplicas; // < totalSize(); positions past the order repeat it from its start
            mine[i] = order[pos % order.length];
        }
        return mine;
    }

    /** This rank's examples of {@code epoch}, as a data set to give an unshuffled {@link DataLoader}. */
    public SupervisedDataset shard(SupervisedDataset dataset, int epoch) {
        if (dataset.size() != size) {
            throw new IllegalArgumentException("the sampler is for " + size + " examples, the data set has "
                    + dataset.size());
        }
        return new Shard(dataset, indices(epoch));
    }

    @Override
    public String toString() {
        return "DistributedSampler(size=" + size + ", numReplicas=" + numReplicas + ", rank=" + rank + ", shuffle="
                + shuffle + ", seed=" + seed + ", dropLast=" + dropLast + ", numSamples=" + numSamples() + ")";
    }

    /** A view of some examples of a data set, in a given order. */
    private record Shard(SupervisedDataset base, int[] indices) implements SupervisedDataset {
        @Override
        public int size() {
            return indices.length;
        }

        @Override
        public Example get(int index) {
            return base.get(indices[index]);
        }

        @Override
        public Batch batch(int[] idx) {
            int[] mapped = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                mapped[i] = indices[idx[i]];
            }
            return base.batch(mapped);
        }
    }

    /** Only a size, for drawing the loader's order without a data set. */
    private record Sized(int size) implements dev.linea.data.Dataset<Example> {
        @Override
        public Example get(int index) {
            throw new UnsupportedOperationException("the sampler's order needs no examples");
        }
    }
}
