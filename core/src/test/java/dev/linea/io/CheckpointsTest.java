package dev.linea.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import dev.linea.optim.lr.ReduceLROnPlateau;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    static void assertBitwiseEqual(Map<String, Tensor> a, Map<String, Tensor> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).shape(), b.get(k).shape(), k);
            float[] x = a.get(k).toFloatArray(), y = b.get(k).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), k + "[" + i + "]");
            }
        }
    }

    static Map<String, Tensor> flatten(OptimizerState s) {
        Map<String, Tensor> out = new TreeMap<>();
        s.state().forEach((i, bufs) -> bufs.forEach((k, v) -> out.put(i + "." + k, v)));
        return out;
    }

    private static TrainingProgress progress(long[] generator, Map<String, Object> scheduler) {
        return new TrainingProgress(4, 7, 12.375, 112, 3.5, generator, 0.4321, 1, scheduler);
    }

    @Test
    void resumingAdamFromACheckpointIsBitwiseIdenticalToNotStopping() throws Exception {
        Module straight = model(1);
        Adam straightOpt = new Adam(straight.parameters(), 0.01, 0.9, 0.999, 1e-8, 0.001);
        steps(straight, straightOpt, 5);

        Module first = model(1);
        Adam firstOpt = new Adam(first.parameters(), 0.01, 0.9, 0.999, 1e-8, 0.001);
        steps(first, firstOpt, 3);
        Path f = tmp.resolve("state.safetensors");
        Checkpoints.save(f, Checkpoint.of(first, firstOpt, progress(null, Map.of())));

        Module resumed = model(99); // different initial weights, all overwritten by the checkpoint
        Adam resumedOpt = new Adam(resumed.parameters(), 0.5); // options restored from the file too
        TrainingProgress p = Checkpoints.resume(f, resumed, resumedOpt);
        assertEquals(4, p.epoch());
        assertEquals(7, p.batch());
        assertEquals(0.01, resumedOpt.paramGroups().get(0).lr());
        assertEquals(0.001, resumedOpt.paramGroups().get(0).get("weight_decay"));
        steps(resumed, resumedOpt, 2);

        assertBitwiseEqual(straight.stateDict(), resumed.stateDict());
        assertBitwiseEqual(flatten(straightOpt.stateDict()), flatten(resumedOpt.stateDict()));
    }

    @Test
    void trainingCheckpointLayoutFollowsPyTorchNames() throws Exception {
        Module m = model(2);
        Adam opt = new Adam(m.parameters(), 0.001);
        steps(m, opt, 1);
        Path f = tmp.resolve("state.safetensors");
        Checkpoints.save(f, Checkpoint.of(m, opt, TrainingProgress.start()));
        SafeTensors.Loaded l = SafeTensors.load(f);
        assertTrue(l.tensors().containsKey("model.0.weight"));
        assertTrue(l.tensors().containsKey("model.2.bias"));
        assertTrue(l.tensors().containsKey("optimizer.state.0.exp_avg"));
        assertTrue(l.tensors().containsKey("optimizer.state.3.exp_avg_sq"));
        assertEquals(0, l.tensors().get("optimizer.state.0.step").dim());
        assertEquals(1f, l.tensors().get("optimizer.state.0.step").item());
        assertEquals(Checkpoints.FORMAT, l.metadata().get("format"));
        String groups = l.metadata().get("optimizer.param_groups");
        assertTrue(groups.startsWith("[{") && groups.contains("\"lr\":0.001") && groups.contains("\"params\":[0,1,2,3]"),
                groups);
        Checkpoint back = Checkpoints.load(f);
        assertEquals(List.of(0, 1, 2, 3), back.optimizer().paramGroups().get(0).get("params"));
        assertEquals(List.of(0.9, 0.999), back.optimizer().paramGroups().get(0).get("betas")); // PyTorch's pair
        assertArrayEquals(new int[] {8, 6}, back.optimizer().state().get(0).get("exp_avg").shape());
        assertBitwiseEqual(m.stateDict(), back.model());
    }

    @Test
    void everyFieldOfTheProgressSurvivesTheRoundTripExactly() throws Exception {
        Generator g = new Generator(4);
        Tensor.randn(g, 3); // odd count: the spare normal is part of the state
        long[] words = g.state();
        assertEquals(1, words[4]);
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(new SGD(model(3).parameters(), 0.1));
        Path f = tmp.resolve("state.safetensors");
        Module m = model(3);
        SGD opt = new SGD(m.parameters(), 0.1);
        Checkpoints.save(f, Checkpoint.of(m, opt, progress(words, plateau.stateDict())));

        TrainingProgress p = Checkpoints.load(f).progress();
        assertEquals(4, p.epoch());
        assertEquals(7, p.batch());
        assertEquals(12.375, p.lossSum());
        assertEquals(112, p.seen());
        assertEquals(3.5, p.seconds());
        assertArrayEquals(words, p.generator());
        assertEquals(0.4321, p.bestLoss());
        assertEquals(1, p.badEpochs());
        assertEquals(Double.POSITIVE_INFINITY, p.scheduler().get("best"), "JSON spells it as a string; it comes back a number");
        ReduceLROnPlateau restored = new ReduceLROnPlateau(new SGD(model(3).parameters(), 0.1));
        restored.loadStateDict(p.scheduler());
        assertEquals(plateau.stateDict(), restored.stateDict());
        Generator continued = new Generator(0);
        continued.setState(p.generator());
        assertEquals(g.nextInt(), continued.nextInt());
    }

    @Test
    void sgdWithoutStateAndNonFiniteOptionsRoundTrip() throws Exception {
        Module m = model(3);
        SGD opt = new SGD(m.parameters(), 0.1);
        opt.paramGroups().get(0).set("custom", Double.POSITIVE_INFINITY);
        Path f = tmp.resolve("sgd.safetensors");
        Checkpoints.save(f, Checkpoint.of(m, opt, TrainingProgress.start()));
        Checkpoint c = Checkpoints.load(f);
        assertTrue(c.optimizer().state().isEmpty());
        assertEquals(Double.POSITIVE_INFINITY, c.optimizer().paramGroups().get(0).get("custom"));
        assertEquals(0.1, c.optimizer().paramGroups().get(0).get("lr"));
        assertNull(c.progress().generator());
        assertTrue(c.progress().scheduler().isEmpty());
        assertEquals(Double.POSITIVE_INFINITY, c.progress().bestLoss());
    }

    @Test
    void modelFilesCarryPyTorchsMetadataAndMismatchesNameTheFile() throws Exception {
        Path f = tmp.resolve("small.safetensors");
        Checkpoints.saveModel(f, new Linear(2, 2));
        assertEquals(java.util.Set.of("format", "linea.crc32c"), SafeTensors.load(f).metadata().keySet());
        assertEquals("pt", SafeTensors.load(f).metadata().get("format"));
        var e = assertThrows(SafeTensorsException.class, () -> Checkpoints.loadModel(f, new Linear(3, 2)));
        assertTrue(e.getMessage().startsWith(f + ": does not fit the model: ")
                && e.getMessage().contains("size mismatch for weight"), e.getMessage());
        var notTraining = assertThrows(SafeTensorsException.class, () -> Checkpoints.load(f));
        assertTrue(notTraining.getMessage().contains("not a Linea training checkpoint (format 'pt'"), notTraining.getMessage());
        var missing = assertThrows(FileNotFoundException.class, () -> Checkpoints.load(tmp.resolve("none.safetensors")));
        assertTrue(missing.getMessage().contains("none.safetensors: no such file"), missing.getMessage());
    }

    private Path fixture(String name) throws IOException {
        Path f = tmp.resolve(name);
        try (InputStream in = CheckpointsTest.class.getResourceAsStream("/io/checkpoint-v1/" + name)) {
            Files.copy(in, f);
        }
        return f;
    }

    @Test
    void versionOneFilesOfTheOldTrainCommandLoadBitwise() throws Exception {
        Path f = fixture("adam.safetensors");
        SafeTensors.Loaded raw = SafeTensors.load(f);
        assertEquals(Checkpoints.FORMAT_V1, raw.metadata().get("format"));
        Linea.manualSeed(77);
        Module m = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        Adam opt = new Adam(m.parameters(), 0.5);
        TrainingProgress p = Checkpoints.resume(f, m, opt);

        Map<String, Tensor> weights = new TreeMap<>(), buffers = new TreeMap<>();
        raw.tensors().forEach((k, v) -> {
            if (k.startsWith("model.")) {
                weights.put(k.substring("model.".length()), v);
            } else {
                buffers.put(k.substring("optimizer.state.".length()), v);
            }
        });
        assertBitwiseEqual(weights, m.stateDict());
        assertBitwiseEqual(buffers, flatten(opt.stateDict()));
        assertEquals(2f, opt.stateDict().state().get(3).get("step").item());
        Map<String, Object> group = opt.stateDict().paramGroups().get(0);
        assertEquals(0.01, group.get("lr"));
        assertEquals(1e-8, group.get("eps"));
        assertEquals(0.001, group.get("weight_decay"));

        assertEquals(3, p.epoch());
        assertEquals(1, p.batch());
        assertEquals(1.5, p.lossSum());
        assertEquals(5, p.seen());
        assertEquals(0.25, p.seconds());
        assertArrayEquals(new long[] {-1088608660, -1505466827, -538776807, -134571920, 1, -4620942722780842470L},
                p.generator());
        assertEquals(Double.POSITIVE_INFINITY, p.bestLoss());
        assertEquals(2, p.badEpochs());
        assertEquals(Double.POSITIVE_INFINITY, p.scheduler().get("best"));
        assertEquals(List.of(0.01), p.scheduler().get("_last_lr"));

        opt.zeroGrad(); // the restored state trains on
        new CrossEntropyLoss().forward(m.forward(Tensor.randn(new Generator(2), 5, 3)),
                Tensor.randint(new Generator(3), 0, 2, 5)).backward();
        opt.step();
        assertEquals(3f, opt.stateDict().state().get(0).get("step").item());
    }

    @Test
    void aVersionOneFreshRunWithoutBuffersGeneratorOrScheduleLoads() throws Exception {
        Checkpoint c = Checkpoints.load(fixture("sgd-fresh.safetensors"));
        assertEquals(List.of("0.bias", "0.weight"), List.copyOf(c.model().keySet()));
        assertTrue(c.optimizer().state().isEmpty());
        Map<String, Object> group = c.optimizer().paramGroups().get(0);
        assertEquals(List.of(0, 1), group.get("params"));
        assertEquals(1.0, group.get("nesterov"));
        assertEquals(0.9, group.get("momentum"));
        TrainingProgress p = c.progress();
        assertEquals(1, p.epoch());
        assertEquals(0, p.batch());
        assertNull(p.generator());
        assertTrue(p.scheduler().isEmpty());
        assertEquals(Double.POSITIVE_INFINITY, p.bestLoss());
    }

    @Test
    void newFilesAreWrittenInTheCurrentFormatFromAVersionOneState() throws Exception {
        Checkpoint old = Checkpoints.load(fixture("adam.safetensors"));
        Path f = tmp.resolve("again.safetensors");
        Checkpoints.save(f, old);
        assertEquals(Checkpoints.FORMAT, SafeTensors.load(f).metadata().get("format"));
        Checkpoint again = Checkpoints.load(f);
        assertBitwiseEqual(old.model(), again.model());
        assertBitwiseEqual(flatten(old.optimizer()), flatten(again.optimizer()));
        assertEquals(old.optimizer().paramGroups(), again.optimizer().paramGroups());
        assertArrayEquals(old.progress().generator(), again.progress().generator());
        assertEquals(old.progress().scheduler().toString(), again.progress().scheduler().toString());
    }

    /** A copy of the version 1 fixture with some metadata replaced (null: removed) and tensors edited. */
    private Path damaged(Map<String, String> metadata, Consumer<Map<String, Tensor>> tensors) throws IOException {
        SafeTensors.Loaded l = SafeTensors.load(fixture("adam.safetensors"));
        Map<String, String> meta = new LinkedHashMap<>(l.metadata());
        metadata.forEach((k, v) -> {
            if (v == null) {
                meta.remove(k);
            } else {
                meta.put(k, v);
            }
        });
        Map<String, Tensor> t = new LinkedHashMap<>(l.tensors());
        tensors.accept(t);
        Path f = tmp.resolve("damaged.safetensors");
        SafeTensors.save(f, t, meta);
        return f;
    }

    private static Map<String, String> meta(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> damage() {
        Consumer<Map<String, Tensor>> none = t -> { };
        String v2 = Checkpoints.FORMAT;
        return Stream.of(
                Arguments.of(meta("epoch", null), none, "the metadata has no 'epoch': the checkpoint is incomplete"),
                Arguments.of(meta("epoch", "three"), none, "'epoch' holds 'three', not a whole number"),
                Arguments.of(meta("seen", "1e3"), none, "'seen' holds '1e3', not a whole number"),
                Arguments.of(meta("loss_sum", "much"), none, "'loss_sum' holds 'much', not a number"),
                Arguments.of(meta("epoch", "0"), none, "epoch 0 (must be >= 1)"),
                Arguments.of(meta("generator", "1,2,3"), none, "not a generator state: [1, 2, 3]"),
                Arguments.of(meta("generator", "1,2,,4,0,0"), none, "'generator' holds '', not a whole number"),
                Arguments.of(meta("optimizer.param_groups", null), none, "no 'optimizer.param_groups'"),
                Arguments.of(meta("optimizer.param_groups", "lr;params=0,1,2,3"), none, "option 'lr' has no value"),
                Arguments.of(meta("optimizer.param_groups", "lr=fast;params=0,1,2,3"), none, "option 'lr' is not a number: fast"),
                Arguments.of(meta("optimizer.param_groups", "lr=0.1;params=0,a"), none,
                        "params must be a list of parameter indices, got 0,a"),
                Arguments.of(meta("format", v2, "optimizer.param_groups", "lr=0.1;params=0"), none,
                        "'optimizer.param_groups' is not valid JSON"),
                Arguments.of(meta("format", v2, "optimizer.param_groups", "{}"), none, "must be a JSON list of objects"),
                Arguments.of(meta("format", v2, "optimizer.param_groups", "[{\"lr\":0.1,\"params\":[-1]}]"), none,
                        "params must be parameter indices, got [-1]"),
                Arguments.of(meta("scheduler", "{\"best\":"), none, "'scheduler' is not valid JSON"),
                Arguments.of(meta("scheduler", "[1]"), none, "'scheduler' must be a JSON object"),
                Arguments.of(meta("format", "linea.training-state.v9"), none,
                        "not a Linea training checkpoint (format 'linea.training-state.v9'"),
                Arguments.of(meta(), (Consumer<Map<String, Tensor>>) t -> t.put("optimizer.state.x.exp_avg", Tensor.zeros(1)),
                        "unexpected tensor 'optimizer.state.x.exp_avg'"),
                Arguments.of(meta(), (Consumer<Map<String, Tensor>>) t -> t.put("optimizer.state.0", Tensor.zeros(1)),
                        "unexpected tensor 'optimizer.state.0'"),
                Arguments.of(meta(), (Consumer<Map<String, Tensor>>) t -> t.keySet().removeIf(k -> k.startsWith("model.")),
                        "holds no model.* tensors"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("damage")
    void aDamagedCheckpointFailsWithOneLineNamingTheFileAndTheFault(Map<String, String> metadata,
                                                                     Consumer<Map<String, Tensor>> tensors,
                                                                     String fault) throws Exception {
        Path f = damaged(metadata, tensors);
        var e = assertThrows(SafeTensorsException.class, () -> Checkpoints.load(f));
        assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains(fault), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aTruncatedCheckpointOrOneForAnotherModelNamesTheFile() throws Exception {
        Path f = fixture("adam.safetensors");
        byte[] bytes = Files.readAllBytes(f);
        Path cut = Files.write(tmp.resolve("cut.safetensors"), Arrays.copyOf(bytes, bytes.length - 10));
        var e = assertThrows(SafeTensorsException.class, () -> Checkpoints.load(cut));
        assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());

        Module other = new Sequential(new Linear(3, 5), new ReLU(), new Linear(5, 2));
        var misfit = assertThrows(SafeTensorsException.class,
                () -> Checkpoints.resume(f, other, new Adam(other.parameters(), 0.01)));
        assertTrue(misfit.getMessage().startsWith(f + ": does not fit this model and optimizer: ")
                && misfit.getMessage().contains("size mismatch"), misfit.getMessage());
    }
}
