package dev.linea.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linea.data.DataLoader;
import dev.linea.data.TensorDataset;
import dev.linea.Tensor;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DistributedSamplerTest {

    @Test
    void withoutDropLastTheOrderIsPaddedByRepeatingItsStartAsPyTorchDoes() {
        // torch: DistributedSampler(range(10), num_replicas=3, rank=r, shuffle=False)
        assertArrayEquals(new int[] {0, 3, 6, 9}, new DistributedSampler(10, 3, 0, false, 0, false).indices(0));
        assertArrayEquals(new int[] {1, 4, 7, 0}, new DistributedSampler(10, 3, 1, false, 0, false).indices(0));
        assertArrayEquals(new int[] {2, 5, 8, 1}, new DistributedSampler(10, 3, 2, false, 0, false).indices(0));
        // padding longer than the data: range(2) over 5 replicas repeats it
        assertArrayEquals(new int[] {0}, new DistributedSampler(2, 5, 4, false, 0, false).indices(0));
        assertArrayEquals(new int[] {1}, new DistributedSampler(2, 5, 3, false, 0, false).indices(0));
    }

    @Test
    void withDropLastTheTailIsDroppedAsPyTorchDoes() {
        DistributedSampler s = new DistributedSampler(10, 3, 2, false, 0, true);
        assertEquals(3, s.numSamples());
        assertEquals(9, s.totalSize());
        assertArrayEquals(new int[] {2, 5, 8}, s.indices(0));
        assertEquals(5, new DistributedSampler(10, 2, 0, false, 0, true).numSamples());
    }

    @Test
    void shuffledShardsPartitionTheLoadersOrderAndChangeWithTheEpoch() {
        int n = 1000;
        TensorDataset data = new TensorDataset(Tensor.zeros(n, 1), Tensor.zeros(n));
        DataLoader loader = DataLoader.builder(data).batchSize(1).shuffle(true).seed(5).build();
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] order = loader.order(epoch);
            int[] r0 = new DistributedSampler(n, 2, 0, 5).indices(epoch);
            int[] r1 = new DistributedSampler(n, 2, 1, 5).indices(epoch);
            for (int i = 0; i < n / 2; i++) {
                assertEquals(order[2 * i], r0[i]);
                assertEquals(order[2 * i + 1], r1[i]);
            }
            assertArrayEquals(order, new DistributedSampler(n, 1, 0, 5).indices(epoch), "one replica = the loader");
        }
        assertFalse(Arrays.equals(new DistributedSampler(n, 2, 0, 5).indices(0),
                new DistributedSampler(n, 2, 0, 5).indices(1)));
    }

    @Test
    void everyRankGetsTheSameNumberOfBatches() {
        TensorDataset data = new TensorDataset(Tensor.zeros(1001, 1), Tensor.zeros(1001));
        int[] batches = IntStream.range(0, 3).map(r -> new DataLoader(
                new DistributedSampler(1001, 3, r, 1).shard(data, 0), 32).numBatches()).toArray();
        assertArrayEquals(new int[] {11, 11, 11}, batches);
    }

    @Test
    void badArgumentsNameTheValues() {
        assertEquals("Invalid rank 2, rank should be in the interval [0, 1]", assertThrows(IllegalArgumentException.class,
                () -> new DistributedSampler(10, 2, 2, 0)).getMessage());
        assertEquals("a data set of 1 examples cannot be shared by 2 replicas with dropLast",
                assertThrows(IllegalArgumentException.class,
                        () -> new DistributedSampler(1, 2, 0, true, 0, true)).getMessage());
        TensorDataset data = new TensorDataset(Tensor.zeros(5, 1), Tensor.zeros(5));
        assertEquals("the sampler is for 10 examples, the data set has 5", assertThrows(IllegalArgumentException.class,
                () -> new DistributedSampler(10, 2, 0, 0).shard(data, 0)).getMessage());
    }
}
