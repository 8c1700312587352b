package dev.linea.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Generator;
import dev.linea.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SubsetTest {
    private static TensorDataset numbers(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return new TensorDataset(Tensor.wrap(x.clone(), n, 1), Tensor.wrap(x, n));
    }

    @Test
    void aRandomSplitIsDisjointCoversTheDatasetAndRepeatsForTheSameSeed() {
        TensorDataset d = numbers(10);
        List<Subset> parts = Subset.randomSplit(d, new Generator(3), 0.7, 0.3);
        assertEquals(7, parts.get(0).size());
        assertEquals(3, parts.get(1).size());
        int[] all = IntStream.concat(Arrays.stream(parts.get(0).indices()), Arrays.stream(parts.get(1).indices()))
                .sorted().toArray();
        assertArrayEquals(IntStream.range(0, 10).toArray(), all);
        assertArrayEquals(parts.get(1).indices(), Subset.randomSplit(d, new Generator(3), 0.7, 0.3).get(1).indices());
        assertTrue(!Arrays.equals(parts.get(1).indices(), Subset.randomSplit(d, new Generator(4), 0.7, 0.3).get(1).indices()));
        // batches are the dataset's own rows at the mapped indices
        Subset test = parts.get(1);
        int[] idx = test.indices();
        assertArrayEquals(new float[] {idx[2], idx[0]}, test.batch(new int[] {2, 0}).targets().toFloatArray());
        assertEquals((float) idx[1], test.get(1).target().item());
    }

    @Test
    void fractionsBecomeLengthsAsInPyTorchTheRemainderGoingToTheFirstParts() {
        List<Subset> parts = Subset.randomSplit(numbers(10), new Generator(0), 0.34, 0.33, 0.33);
        assertEquals(List.of(4, 3, 3), parts.stream().map(Subset::size).toList());
    }

    @Test
    void lengthsThatDoNotAddUpAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Subset.randomSplit(numbers(5), new Generator(0), 3, 3));
        assertTrue(e.getMessage().startsWith("Sum of input lengths does not equal the length of the input dataset!"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Subset.randomSplit(numbers(5), new Generator(0), 0.5, 0.6));
        assertTrue(e.getMessage().contains("must add up to 1"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> new Subset(numbers(3), new int[] {3}));
    }
}
