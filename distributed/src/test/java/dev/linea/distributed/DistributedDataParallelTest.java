package dev.linea.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.data.Batch;
import dev.linea.data.DataLoader;
import dev.linea.data.FashionMNIST;
import dev.linea.data.Split;
import dev.linea.data.SupervisedDataset;
import dev.linea.io.Checkpoints;
import dev.linea.io.TrainingProgress;
import dev.linea.models.FCNN;
import dev.linea.nn.BatchNorm1d;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;
import dev.linea.nn.Sequential;
import dev.linea.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributedDataParallelTest {
    private static final int STEPS = 20;
    private static final long SEED = 7;

    private static Map<String, float[]> weights(Module m) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    /** A model drawn from its own generator: the ranks are threads, and the global generator is shared. */
    private static FCNN model(long seed) {
        return Module.withGenerator(new Generator(seed), FCNN::new);
    }

    @Test
    void twoRanksOfBatch32ReachTheWeightsOfOneProcessOfBatch64() throws Exception {
        SupervisedDataset data = FashionMNIST.sample(Split.TRAIN, FashionMNIST.normalized());
        CrossEntropyLoss loss = new CrossEntropyLoss();

        FCNN single = model(1);
        SGD opt = new SGD(single.parameters(), 0.1, 0.9);
        Iterator<Batch> batches = DataLoader.builder(data).batchSize(64).shuffle(true).seed(SEED).build()
                .epoch(0).iterator();
        for (int s = 0; s < STEPS; s++) {
            Batch b = batches.next();
            opt.zeroGrad();
            loss.forward(single.forward(b.inputs()), b.targets()).backward();
            opt.step();
        }
        Map<String, float[]> expected = weights(single);

        List<Map<String, float[]>> ranks = Ranks.run(2, g -> {
            FCNN replica = model(1 + 100L * g.rank()); // different starts: the constructor must broadcast rank 0's
            DistributedDataParallel ddp = new DistributedDataParallel(replica, g, 0.2); // 0.2 MB: several buckets
            assertTrue(ddp.buckets().size() > 1, "buckets " + ddp.buckets().size());
            SGD o = new SGD(replica.parameters(), 0.1, 0.9);
            SupervisedDataset shard = new DistributedSampler(data.size(), 2, g.rank(), SEED).shard(data, 0);
            Iterator<Batch> it = new DataLoader(shard, 32).epoch(0).iterator();
            for (int s = 0; s < STEPS; s++) {
                Batch b = it.next();
                o.zeroGrad();
                loss.forward(ddp.forward(b.inputs()), b.targets()).backward();
                ddp.syncGradients();
                o.step();
            }
            return weights(replica);
        });

        for (String name : expected.keySet()) {
            assertArrayEquals(ranks.get(0).get(name), ranks.get(1).get(name), 0f, name + ": ranks differ");
            float[] e = expected.get(name), a = ranks.get(0).get(name);
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], a[i], 2e-5f + 2e-4f * Math.abs(e[i]), name + "[" + i + "]");
            }
        }
    }

    @Test
    void batchNormRunningStatisticsStayPerRankWhileParametersAgree() throws Exception {
        List<Map<String, float[]>> ranks = Ranks.run(2, g -> {
            Module net = Module.withGenerator(new Generator(3), () -> new Sequential(new Linear(4, 3), new BatchNorm1d(3)));
            DistributedDataParallel ddp = new DistributedDataParallel(net, g);
            SGD o = new SGD(net.parameters(), 0.1);
            Tensor x = Tensor.full(new int[] {8, 4}, g.rank() + 1f).add(Tensor.arange(32).view(8, 4).mul(0.1f));
            o.zeroGrad();
            ddp.forward(x).sum().backward();
            ddp.syncGradients();
            o.step();
            return weights(net);
        });
        assertArrayEquals(ranks.get(0).get("0.weight"), ranks.get(1).get("0.weight"), 0f);
        assertFalse(java.util.Arrays.equals(ranks.get(0).get("1.running_mean"), ranks.get(1).get("1.running_mean")),
                "each rank's running mean comes from its own data");
    }

    @Test
    void checkpointsAreWrittenByRankZeroOnly(@TempDir Path dir) throws Exception {
        Ranks.run(2, g -> {
            FCNN m = model(5);
            DistributedDataParallel ddp = new DistributedDataParallel(m, g);
            SGD o = new SGD(m.parameters(), 0.1);
            ddp.saveCheckpoint(dir.resolve("state-" + g.rank() + ".safetensors"), o, TrainingProgress.start());
            ddp.saveModel(dir.resolve("model-" + g.rank() + ".safetensors"));
            return null;
        });
        assertTrue(Files.exists(dir.resolve("state-0.safetensors")));
        assertTrue(Files.exists(dir.resolve("model-0.safetensors")));
        assertFalse(Files.exists(dir.resolve("state-1.safetensors")));
        assertFalse(Files.exists(dir.resolve("model-1.safetensors")));
        FCNN back = new FCNN();
        Checkpoints.loadModel(dir.resolve("model-0.safetensors"), back); // plain names, not module.fc1.weight
        assertEquals(DistributedDataParallel.fingerprint(model(5)), DistributedDataParallel.fingerprint(back));
    }

    @Test
    void theWrappedModelIsTheChildModuleAsInPyTorch() throws Exception {
        Ranks.run(1, g -> {
            DistributedDataParallel ddp = new DistributedDataParallel(new FCNN(), g);
            assertTrue(ddp.stateDict().containsKey("module.fc1.weight"), ddp.stateDict().keySet().toString());
            assertEquals(List.of("fc3.bias", "fc3.weight", "fc2.bias", "fc2.weight", "fc1.bias", "fc1.weight").size(),
                    ddp.buckets().get(0).size());
            return null;
        });
    }
}
