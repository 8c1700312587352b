package dev.linea.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Generator;
import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;
import dev.linea.nn.ReLU;
import dev.linea.nn.Sequential;
import dev.linea.optim.Adam;
import dev.linea.optim.Optimizer;
import dev.linea.optim.OptimizerState;
import dev.linea.optim.SGD;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
    @TempDir
    Path tmp;

    private static final Tensor X = Tensor.randn(new Generator(11), 16, 6);
    private static final Tensor Y = Tensor.randint(new Generator(12), 0, 3, 16);

    private static Module model(long seed) {
        Linea.manualSeed(seed);
        return new Sequential(new Linear(6, 8), new ReLU(), new Linear(8, 3));
    }

    private static void steps(Module m, Optimizer opt, int n) {
        CrossEntropyLoss loss = new CrossEntropyLoss();
        for (int i = 0; i < n; i++) {
            opt.zeroGrad();
            loss.forward(m.forward(X), Y).backward();
            opt.step();
        }
    }

    private static void assertBitwiseEqual(Map<String, Tensor> a, Map<String, Tensor> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            float[] x = a.get(k).toFloatArray(), y = b.get(k).toFloatArray();
            assertEquals(x.length, y.length, k);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), k + "[" + i + "]");
            }
        }
    }

    @Test
    void resumingAdamFromACheckpointIsBitwiseIdenticalToNotStopping() throws Exception {
        Module straight = model(1);
        Adam straightOpt = new Adam(straight.parameters(), 0.01, 0.9, 0.999, 1e-8, 0.001);
        steps(straight, straightOpt, 5);

        Module first = model(1);
        Adam firstOpt = new Adam(first.parameters(), 0.01, 0.9, 0.999, 1e-8, 0.001);
        steps(first, firstOpt, 3);
        Checkpoints.saveModel(tmp.resolve("model.safetensors"), first);
        Checkpoints.saveOptimizer(tmp.resolve("optim.safetensors"), firstOpt);

        Module resumed = model(99); // different initial weights, all overwritten by the checkpoint
        Adam resumedOpt = new Adam(resumed.parameters(), 0.5); // options restored from the file too
        Checkpoints.loadModel(tmp.resolve("model.safetensors"), resumed);
        resumedOpt.loadStateDict(Checkpoints.loadOptimizer(tmp.resolve("optim.safetensors")));
        assertEquals(0.01, resumedOpt.paramGroups().get(0).lr());
        assertEquals(0.001, resumedOpt.paramGroups().get(0).get("weight_decay"));
        steps(resumed, resumedOpt, 2);

        assertBitwiseEqual(straight.stateDict(), resumed.stateDict());
        assertBitwiseEqual(flatten(straightOpt.stateDict()), flatten(resumedOpt.stateDict()));
    }

    private static Map<String, Tensor> flatten(OptimizerState s) {
        Map<String, Tensor> out = new java.util.TreeMap<>();
        s.state().forEach((i, bufs) -> bufs.forEach((k, v) -> out.put(i + "." + k, v)));
        return out;
    }

    @Test
    void optimizerFileLayoutFollowsPyTorchNames() throws Exception {
        Module m = model(2);
        Adam opt = new Adam(m.parameters(), 0.001);
        steps(m, opt, 1);
        Path f = tmp.resolve("optim.safetensors");
        Checkpoints.saveOptimizer(f, opt);
        SafeTensors.Loaded l = SafeTensors.load(f);
        assertTrue(l.tensors().containsKey("state.0.exp_avg"));
        assertTrue(l.tensors().containsKey("state.3.exp_avg_sq"));
        assertEquals(0, l.tensors().get("state.0.step").dim());
        assertEquals(1f, l.tensors().get("state.0.step").item());
        assertEquals("optimizer", l.metadata().get(Checkpoints.KIND));
        String groups = l.metadata().get(Checkpoints.PARAM_GROUPS);
        assertTrue(groups.startsWith("[{") && groups.contains("\"lr\":0.001") && groups.contains("\"params\":[0,1,2,3]"),
                groups);
        OptimizerState back = Checkpoints.loadOptimizer(f);
        assertEquals(List.of(0, 1, 2, 3), back.paramGroups().get(0).get("params"));
        assertEquals(0.9, back.paramGroups().get(0).get("beta1"));
        assertArrayEquals(new int[] {8, 6}, back.state().get(0).get("exp_avg").shape());
    }

    @Test
    void sgdWithoutStateAndOddOptionsRoundTrip() throws Exception {
        Module m = model(3);
        SGD opt = new SGD(m.parameters(), 0.1);
        opt.paramGroups().get(0).set("custom", Double.POSITIVE_INFINITY);
        Path f = tmp.resolve("sgd.safetensors");
        Checkpoints.saveOptimizer(f, opt);
        OptimizerState s = Checkpoints.loadOptimizer(f);
        assertTrue(s.state().isEmpty());
        assertEquals(Double.POSITIVE_INFINITY, s.paramGroups().get(0).get("custom"));
        assertEquals(0.1, s.paramGroups().get(0).get("lr"));
    }

    @Test
    void modelFilesAreCheckedAgainstTheModel() throws Exception {
        Path f = tmp.resolve("small.safetensors");
        Checkpoints.saveModel(f, new Linear(2, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadModel(f, new Linear(3, 2)));
        assertTrue(e.getMessage().contains("size mismatch for weight"), e.getMessage());
        Checkpoints.saveModel(f, model(4));
        var notOpt = assertThrows(SafeTensorsException.class, () -> Checkpoints.loadOptimizer(f));
        assertTrue(notOpt.getMessage().contains("is not an optimizer buffer"), notOpt.getMessage());
    }
}
