package dev.linea.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    /** N examples: input row i is (i, 10i), target i. */
    static TensorDataset numbered(int n) {
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 * i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.wrap(x, n, 2), Tensor.wrap(y, n));
    }

    /** The targets of every batch of one epoch, in order. */
    static List<Integer> seen(Iterable<Batch> epoch) {
        List<Integer> out = new ArrayList<>();
        for (Batch b : epoch) {
            for (float v : b.targets().toFloatArray()) {
                out.add((int) v);
            }
        }
        return out;
    }

    static DataLoader shuffled(int n, int batch, long seed, int prefetch) {
        return DataLoader.builder(numbered(n)).batchSize(batch).shuffle(true).seed(seed).prefetch(prefetch).build();
    }

    @Test
    void sameSeedGivesSameOrderOnEveryRunAndNewOrderPerEpoch() {
        List<Integer> a0 = seen(shuffled(100, 7, 42, 2).epoch(0));
        List<Integer> b0 = seen(shuffled(100, 7, 42, 0).epoch(0)); // prefetch does not change the order
        assertEquals(a0, b0);
        DataLoader loader = shuffled(100, 7, 42, 2);
        assertEquals(a0, seen(loader.epoch(0)));
        assertEquals(a0, seen(loader.epoch(0)), "an epoch replays identically");
        List<Integer> a1 = seen(loader.epoch(1));
        assertNotEquals(a0, a1, "each epoch is reshuffled");
        assertEquals(a1, seen(shuffled(100, 7, 42, 1).epoch(1)));
        assertNotEquals(a0, seen(shuffled(100, 7, 43, 2).epoch(0)), "another seed, another order");
        assertArrayEquals(loader.order(3), shuffled(100, 7, 42, 0).order(3));
    }

    @Test
    void iteratingTheLoaderRunsSuccessiveEpochs() {
        DataLoader loader = shuffled(50, 8, 5, 2);
        List<Integer> first = new ArrayList<>(), second = new ArrayList<>();
        loader.forEach(b -> first.addAll(ints(b)));
        loader.forEach(b -> second.addAll(ints(b)));
        assertEquals(seen(loader.epoch(0)), first);
        assertEquals(seen(loader.epoch(1)), second);
    }

    private static List<Integer> ints(Batch b) {
        List<Integer> out = new ArrayList<>();
        for (float v : b.targets().toFloatArray()) {
            out.add((int) v);
        }
        return out;
    }

    @Test
    void everySampleSeenOncePerEpoch() {
        DataLoader loader = shuffled(103, 10, 1, 2);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Integer> s = seen(loader.epoch(epoch));
            assertEquals(103, s.size());
            List<Integer> sorted = new ArrayList<>(s);
            sorted.sort(null);
            for (int i = 0; i < 103; i++) {
                assertEquals(i, sorted.get(i));
            }
        }
    }

    @Test
    void batchesPairInputsWithTargetsAndHaveTheRightShapes() {
        DataLoader loader = shuffled(10, 4, 3, 2);
        List<Integer> sizes = new ArrayList<>();
        for (Batch b : loader.epoch(0)) {
            sizes.add(b.size());
            assertEquals(2, b.inputs().dim());
            assertEquals(2, b.inputs().size(1));
            float[] x = b.inputs().toFloatArray(), y = b.targets().toFloatArray();
            for (int i = 0; i < y.length; i++) {
                assertEquals(y[i], x[2 * i]);
                assertEquals(10 * y[i], x[2 * i + 1]);
            }
        }
        assertEquals(List.of(4, 4, 2), sizes);
    }

    @Test
    void dropLastCounts() {
        TensorDataset ds = numbered(10);
        DataLoader keep = DataLoader.builder(ds).batchSize(4).build();
        DataLoader drop = DataLoader.builder(ds).batchSize(4).dropLast(true).build();
        assertEquals(3, keep.numBatches());
        assertEquals(3, keep.len());
        assertEquals(2, drop.numBatches());
        assertEquals(10, seen(keep.epoch(0)).size());
        assertEquals(8, seen(drop.epoch(0)).size());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), seen(drop.epoch(0)));
        assertEquals(2, DataLoader.builder(numbered(8)).batchSize(4).dropLast(true).build().numBatches());
        assertEquals(0, DataLoader.builder(numbered(3)).batchSize(4).dropLast(true).build().numBatches());
        assertFalse(DataLoader.builder(numbered(3)).batchSize(4).dropLast(true).build().iterator().hasNext());
    }

    @Test
    void iteratorEndsWithNoSuchElement() {
        var it = new DataLoader(numbered(3), 2).iterator();
        it.next();
        it.next();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    /** A dataset whose example 5 cannot be read. */
    static final class Broken implements Dataset<Example> {
        @Override
        public int size() {
            return 20;
        }

        @Override
        public Example get(int index) {
            if (index == 5) {
                throw new IllegalStateException("example 5 is corrupt");
            }
            return new Example(Tensor.of(index), Tensor.scalar(index));
        }
    }

    @Test
    void producerErrorIsRethrownToTheConsumer() throws Exception {
        long before = loaderThreads();
        DataLoader loader = DataLoader.builder(new Broken()).batchSize(2).prefetch(2).build();
        var it = loader.epoch(0).iterator();
        assertEquals(2, it.next().size()); // batch 0: examples 0, 1
        it.next(); // batch 1: examples 2, 3
        IllegalStateException e = assertThrows(IllegalStateException.class, it::next); // batch 2 has example 5
        assertEquals("example 5 is corrupt", e.getMessage());
        assertFalse(it.hasNext(), "the epoch ends with the error");
        awaitLoaderThreads(before);
        // Synchronous loading throws the same way.
        var sync = DataLoader.builder(new Broken()).batchSize(2).prefetch(0).build().epoch(0).iterator();
        sync.next();
        sync.next();
        assertEquals("example 5 is corrupt", assertThrows(IllegalStateException.class, sync::next).getMessage());
    }

    @Test
    void genericCollationStacksExamplesAndChecksShapes() {
        Batch b = Collate.examples(new Broken(), new int[] {3, 1});
        assertArrayEquals(new int[] {2, 1}, b.inputs().shape());
        assertArrayEquals(new float[] {3, 1}, b.inputs().toFloatArray());
        assertArrayEquals(new int[] {2}, b.targets().shape());
        Dataset<Example> ragged = new Dataset<>() {
            public int size() {
                return 2;
            }

            public Example get(int i) {
                return new Example(Tensor.zeros(i + 1), Tensor.scalar(0));
            }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> Collate.examples(ragged, new int[] {0, 1}));
        assertTrue(e.getMessage().contains("example 1 has shape [2]"), e.getMessage());
    }

    @Test
    void closingStopsThePrefetchThreadAtOnce() throws Exception {
        long before = loaderThreads();
        DataLoader loader = shuffled(1000, 10, 0, 2);
        try (DataLoader.Batches it = loader.iterator()) {
            it.next();
            assertEquals(before + 1, loaderThreads());
        }
        assertEquals(before, loaderThreads(), "close() waits for the thread to end");
    }

    @Test
    void earlyBreakDoesNotLeakAThread() throws Exception {
        long before = loaderThreads();
        for (int i = 0; i < 5; i++) {
            breakAfterOneBatch(shuffled(1000, 10, i, 2));
        }
        awaitLoaderThreads(before);
    }

    /** A for-each loop left early: the iterator becomes garbage when this method returns. */
    private static void breakAfterOneBatch(DataLoader loader) {
        for (Batch b : loader) {
            assertEquals(10, b.size());
            break;
        }
    }

    @Test
    void tensorDatasetChecksSizesAndViewsRows() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(5, 3), Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("inputs have 5 samples") && e.getMessage().contains("targets have 4"),
                e.getMessage());
        TensorDataset ds = numbered(4);
        assertEquals(4, ds.size());
        assertArrayEquals(new float[] {2, 20}, ds.get(2).input().toFloatArray());
        assertEquals(2f, ds.get(2).target().item());
        assertThrows(IndexOutOfBoundsException.class, () -> ds.get(4));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.batch(new int[] {0, 9}));
        // A non-contiguous input (a transpose) is made contiguous once and batched by rows.
        TensorDataset t = new TensorDataset(Tensor.arange(0f, 6, 1f).view(2, 3).t(), Tensor.zeros(3));
        assertArrayEquals(new float[] {2, 5, 0, 3}, t.batch(new int[] {2, 0}).inputs().toFloatArray());
    }

    @Test
    void builderRejectsBadOptions() {
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(numbered(2)).batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(numbered(2)).prefetch(-1));
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(numbered(2), 1).epoch(-1));
    }

    @Test
    void imageLoaderUsesTheFastPath() throws Exception {
        ImageDataset ds = FashionMNIST.sample(Split.TEST);
        DataLoader loader = DataLoader.builder(ds).batchSize(256).shuffle(true).seed(7).build();
        assertEquals(4, loader.numBatches());
        int total = 0;
        for (Batch b : loader.epoch(0)) {
            assertArrayEquals(new int[] {b.size(), 1, 28, 28}, b.inputs().shape());
            assertArrayEquals(new int[] {b.size()}, b.targets().shape());
            total += b.size();
        }
        assertEquals(1000, total);
        int[] order = loader.order(0);
        Batch first = loader.epoch(0).iterator().next();
        assertEquals(ds.label(order[0]), (int) first.targets().get(0));
        assertArrayEquals(ds.get(order[1]).input().toFloatArray(),
                Arrays.copyOfRange(first.inputs().toFloatArray(), 784, 2 * 784));
    }

    static long loaderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(Prefetcher.THREAD_PREFIX) && t.isAlive()).count();
    }

    /** Waits (collecting garbage) until the loader threads are back to {@code expected}. */
    static void awaitLoaderThreads(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (loaderThreads() > expected && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(expected, loaderThreads(), "prefetch threads left running");
    }
}
