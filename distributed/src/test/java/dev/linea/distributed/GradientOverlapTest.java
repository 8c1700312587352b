package dev.linea.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.data.Batch;
import dev.linea.data.DataLoader;
import dev.linea.data.FashionMNIST;
import dev.linea.data.Split;
import dev.linea.data.SupervisedDataset;
import dev.linea.models.FCNN;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Module;
import dev.linea.nn.Parameter;
import dev.linea.optim.SGD;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Gradient buckets reduced during backward: same bits as after it, started before backward returns. */
class GradientOverlapTest {
    private static final long SEED = 11;
    private static final double SMALL_BUCKETS_MB = 0.01; // FCNN in 4 buckets

    private static Map<String, float[]> weights(Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.namedParameters().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    /** Trains FCNN for a few steps on {@code ranks} ranks; {@code microBatches} backward passes per step. */
    private static List<Map<String, float[]>> train(int ranks, boolean overlap, int microBatches) throws Exception {
        return train(ranks, overlap, microBatches, Transport.AUTO);
    }

    private static List<Map<String, float[]>> train(int ranks, boolean overlap, int microBatches, Transport transport)
            throws Exception {
        SupervisedDataset data = FashionMNIST.sample(Split.TRAIN, FashionMNIST.normalized());
        CrossEntropyLoss loss = new CrossEntropyLoss();
        return Ranks.run(ranks, java.time.Duration.ofSeconds(30), transport, g -> {
            FCNN model = Module.withGenerator(new Generator(3 + g.rank()), FCNN::new);
            DistributedDataParallel ddp = new DistributedDataParallel(model, g, SMALL_BUCKETS_MB, overlap);
            assertEquals(4, ddp.buckets().size());
            SGD opt = new SGD(model.parameters(), 0.05, 0.9);
            SupervisedDataset shard = new DistributedSampler(data.size(), ranks, g.rank(), SEED).shard(data, 0);
            Iterator<Batch> it = new DataLoader(shard, 16).epoch(0).iterator();
            for (int step = 0; step < 6; step++) {
                opt.zeroGrad();
                for (int m = 0; m < microBatches - 1; m++) {
                    Batch b = it.next();
                    try (var s = ddp.noSync()) {
                        loss.forward(ddp.forward(b.inputs()), b.targets()).backward();
                    }
                }
                Batch b = it.next();
                loss.forward(ddp.forward(b.inputs()), b.targets()).backward();
                ddp.syncGradients();
                opt.step();
            }
            return weights(model);
        });
    }

    private static void assertSameBits(Map<String, float[]> expected, Map<String, float[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), actual.get(name), 0f, what + ": " + name);
        }
    }

    @Test
    void overlappedBucketsGiveTheBitsOfReducingAfterBackwardOnThreeRanks() throws Exception {
        // Three ranks: a ring's sum order depends on where an element falls in the buffer, so this also pins
        // that the overlap reduces exactly the buffers the plain path does.
        List<Map<String, float[]>> plain = train(3, false, 1);
        List<Map<String, float[]>> overlapped = train(3, true, 1);
        for (int r = 0; r < 3; r++) {
            assertSameBits(plain.get(0), plain.get(r), "plain rank " + r);
            assertSameBits(plain.get(0), overlapped.get(r), "overlapped rank " + r);
        }
    }

    @Test
    void trainingOverSharedMemoryGivesTheBitsOfTheTcpRingOnThreeRanks() throws Exception {
        List<Map<String, float[]>> tcp = train(3, true, 1, Transport.TCP);
        List<Map<String, float[]>> shm = train(3, true, 1, Transport.SHARED_MEMORY);
        for (int r = 0; r < 3; r++) {
            assertSameBits(tcp.get(0), shm.get(r), "shared memory rank " + r);
        }
    }

    @Test
    void noSyncAccumulatesMicroBatchesAndTheLastBackwardAveragesTheSum() throws Exception {
        List<Map<String, float[]>> plain = train(2, false, 3);
        List<Map<String, float[]>> overlapped = train(2, true, 3);
        assertSameBits(plain.get(0), plain.get(1), "plain rank 1");
        assertSameBits(plain.get(0), overlapped.get(0), "overlapped rank 0");
        assertSameBits(plain.get(0), overlapped.get(1), "overlapped rank 1");
    }

    @Test
    void everyBucketIsHandedToTheCommunicationThreadBeforeBackwardReturns() throws Exception {
        for (boolean overlap : new boolean[] {true, false}) {
            List<Integer> seen = Ranks.run(2, g -> {
                FCNN model = Module.withGenerator(new Generator(1), FCNN::new);
                DistributedDataParallel ddp = new DistributedDataParallel(model, g, SMALL_BUCKETS_MB, overlap);
                AtomicInteger most = new AtomicInteger();
                for (Parameter p : model.parameters()) {
                    // registered after DDP's own hooks, so it runs after them
                    p.registerPostAccumulateGradHook(t -> most.accumulateAndGet(ddp.reducer().launched(), Math::max));
                }
                ddp.forward(Tensor.randn(new Generator(g.rank()), 4, 784)).sum().backward();
                int duringBackward = most.get();
                ddp.syncGradients();
                return duringBackward;
            });
            assertEquals(List.of(overlap ? 4 : 0, overlap ? 4 : 0), seen, "overlap " + overlap);
        }
    }

    @Test
    void aReplicaWrappedAgainReportsOnlyToTheNewWrapper() throws Exception {
        List<Map<String, float[]>> ranks = Ranks.run(2, g -> {
            FCNN model = Module.withGenerator(new Generator(1), FCNN::new);
            DistributedDataParallel old = new DistributedDataParallel(model, g, SMALL_BUCKETS_MB, true);
            DistributedDataParallel ddp = new DistributedDataParallel(model, g, SMALL_BUCKETS_MB, true);
            SGD opt = new SGD(model.parameters(), 0.1);
            for (int step = 0; step < 3; step++) {
                opt.zeroGrad();
                ddp.forward(Tensor.randn(new Generator(10 * step + g.rank()), 4, 784)).sum().backward();
                assertEquals(0, old.reducer().launched(), "the old wrapper stays silent");
                ddp.syncGradients();
                opt.step();
            }
            return weights(model);
        });
        assertSameBits(ranks.get(0), ranks.get(1), "rank 1");
    }

    @Test
    void aSecondBackwardBeforeSyncGradientsFailsWithAMessage() throws Exception {
        Ranks.run(1, g -> {
            FCNN model = Module.withGenerator(new Generator(1), FCNN::new);
            DistributedDataParallel ddp = new DistributedDataParallel(model, g);
            Tensor x = Tensor.randn(new Generator(2), 2, 784);
            ddp.forward(x).sum().backward();
            var e = assertThrows(IllegalStateException.class, () -> ddp.forward(x).sum().backward());
            assertTrue(e.getMessage().contains("received a gradient twice before syncGradients()"), e.getMessage());
            assertTrue(e.getMessage().contains("noSync()"), e.getMessage());
            ddp.syncGradients(); // the step still completes
            return null;
        });
    }
}
