package dev.linea.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linea.DType;
import dev.linea.Tensor;
import org.junit.jupiter.api.Test;

/** Loaders give int64 labels, as PyTorch's do, exact beyond 2^24, on every collation path. */
class Int64LabelsTest {
    private static final long BIG = (1L << 40) + 3;

    @Test
    void imageDatasetsLabelEachExampleAndEachBatchInInt64() throws Exception {
        ImageDataset set = FashionMNIST.sample(Split.TEST);
        assertEquals(DType.INT64, set.get(0).target().dtype());
        assertEquals(0, set.get(0).target().dim());
        Batch b = set.batch(new int[] {0, 1, 2});
        assertEquals(DType.INT64, b.targets().dtype());
        assertEquals(set.get(2).target().itemLong(), b.targets().toLongArray()[2]);
    }

    @Test
    void tensorDatasetKeepsInt64TargetsExact() {
        TensorDataset ds = new TensorDataset(Tensor.randn(3, 2), Tensor.ofLongs(BIG, 1, BIG + 1));
        Batch b = ds.batch(new int[] {2, 0});
        assertEquals(DType.INT64, b.targets().dtype());
        assertArrayEquals(new long[] {BIG + 1, BIG}, b.targets().toLongArray());
    }

    @Test
    void theGenericCollationKeepsTheTargetsDtype() {
        Dataset<Example> ds = new Dataset<>() {
            @Override public int size() { return 3; }
            @Override public Example get(int i) {
                return new Example(Tensor.of(i, i), Tensor.ofLongs(new long[] {BIG + i}).reshape());
            }
        };
        Batch b = DataLoader.builder(ds).batchSize(3).build().epoch(0).iterator().next();
        assertEquals(DType.INT64, b.targets().dtype());
        assertArrayEquals(new long[] {BIG, BIG + 1, BIG + 2}, b.targets().toLongArray());
    }
}
