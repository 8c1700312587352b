package dev.linea.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.internal.io.Json;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;
import dev.linea.nn.functional.F;
import dev.linea.optim.Adam;
import dev.linea.optim.Optimizer;
import dev.linea.optim.OptimizerState;
import dev.linea.optim.SGD;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fuzzer's reproducers of damaged training state ({@code ../shared/repro}, copied to {@code io/repro/}):
 * each now fails with one line naming the file and what is wrong, where it crashed with
 * StringIndexOutOfBounds, NumberFormat, ClassCast, NullPointer or (at the next step) ArrayIndexOutOfBounds.
 * They hold the tiny model below (Linear 3→4, ReLU, Linear 4→2) with Adam or SGD.
 */
class DamagedStateTest {
    @TempDir
    Path tmp;

    /** The reproducers' model: parameters 0..3 are fc1.weight (4, 3), fc1.bias (4), fc2.weight (2, 4), fc2.bias (2). */
    static final class Tiny extends Module {
        final Linear fc1 = new Linear(3, 4);
        final Linear fc2 = new Linear(4, 2);

        @Override
        public Tensor forward(Tensor x) {
            return fc2.forward(F.relu(fc1.forward(x)));
        }
    }

    private Path repro(String name) throws IOException {
        Path f = tmp.resolve(name);
        try (InputStream in = DamagedStateTest.class.getResourceAsStream("/io/repro/" + name)) {
            Files.copy(in, f);
        }
        return f;
    }

    private static void assertOneLine(Path file, String fault, Exception e) {
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(fault), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "trainstate-name-without-dot-sioobe.safetensors | unexpected tensor 'optimizer.state.x' (expected model.<name> or optimizer.state.<paramIndex>.<buffer>)",
            "trainstate-empty-index-nfe.safetensors | unexpected tensor 'optimizer.state..exp_avg'",
            "trainstate-scheduler-not-object-cce.safetensors | 'scheduler' must be a JSON object, got 1e999",
            "trainstate-scheduler-null-npe.safetensors | 'scheduler' must be a JSON object, got null"})
    void aDamagedTrainingStateFailsWithOneLineNamingTheFile(String name, String fault) throws Exception {
        Path f = repro(name);
        assertOneLine(f, fault, assertThrows(SafeTensorsException.class, () -> Checkpoints.load(f)));
        Tiny m = new Tiny();
        assertOneLine(f, fault, assertThrows(SafeTensorsException.class,
                () -> Checkpoints.resume(f, m, new Adam(m.parameters(), 0.01))));
    }

    /**
     * A reproducer of the old optimizer-file codec ({@code state.<i>.<buffer>} tensors, {@code param_groups}
     * JSON), read as that codec read it: the state dict {@link Optimizer#loadStateDict} was fed.
     */
    private OptimizerState optimizerFile(Path f) throws Exception {
        SafeTensors.Loaded l = SafeTensors.load(f);
        Map<Integer, Map<String, Tensor>> state = new TreeMap<>();
        l.tensors().forEach((k, v) -> {
            String[] parts = k.split("\\.", 3);
            state.computeIfAbsent(Integer.parseInt(parts[1]), i -> new LinkedHashMap<>()).put(parts[2], v);
        });
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = (List<Map<String, Object>>) Json.parse(l.metadata().get("param_groups"));
        return new OptimizerState(state, groups);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "optimizer-adam-0d-buffer-aioobe.safetensors | adam | loaded state 'exp_avg' of parameter 0 has shape [], the parameter has [4, 3]",
            "optimizer-sgd-0d-momentum-aioobe.safetensors | sgd | loaded state 'momentum_buffer' of parameter 0 has shape [], the parameter has [4, 3]"})
    void aZeroDimensionalBufferIsRefusedAtLoadNotAtTheNextStep(String name, String kind, String fault) throws Exception {
        Path f = repro(name);
        Function<Module, Optimizer> make = m -> kind.equals("adam") ? new Adam(m.parameters(), 0.01)
                : new SGD(m.parameters(), 0.01, 0.9);
        Tiny m = new Tiny();
        Optimizer opt = make.apply(m);
        var e = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(optimizerFile(f)));
        assertEquals(fault, e.getMessage());
        step(m, opt); // refused before anything changed: the optimizer still trains
        assertEquals(4, opt.stateDict().state().size());

        // The same state in a training checkpoint: the file is named.
        Path checkpoint = tmp.resolve("training-state.safetensors");
        Checkpoints.save(checkpoint, new Checkpoint(new Tiny().stateDict(), optimizerFile(f), TrainingProgress.start()));
        Tiny again = new Tiny();
        var named = assertThrows(SafeTensorsException.class, () -> Checkpoints.resume(checkpoint, again, make.apply(again)));
        assertOneLine(checkpoint, "does not fit this model and optimizer: " + fault, named);
    }

    private static void step(Module m, Optimizer opt) {
        opt.zeroGrad();
        new CrossEntropyLoss().forward(m.forward(Tensor.randn(new Generator(1), 5, 3)),
                Tensor.randint(new Generator(2), 0, 2, 5)).backward();
        opt.step();
    }

    @Test
    void anSgdStateResumedIntoAdamOrTheReverseIsRefusedWithBothNames() throws Exception {
        Tiny m = new Tiny();
        SGD sgd = new SGD(m.parameters(), 0.01, 0.9);
        step(m, sgd);
        Path f = tmp.resolve("sgd.safetensors");
        Checkpoints.save(f, Checkpoint.of(m, sgd, TrainingProgress.start()));
        Tiny other = new Tiny();
        var e = assertThrows(SafeTensorsException.class, () -> Checkpoints.resume(f, other, new Adam(other.parameters())));
        assertOneLine(f, "loaded parameter group 0 lacks Adam's options [beta1, beta2, eps] and has "
                + "[dampening, momentum, nesterov] (a state of SGD, not Adam)", e);

        Adam adam = new Adam(m.parameters());
        step(m, adam);
        Path g = tmp.resolve("adam.safetensors");
        Checkpoints.save(g, Checkpoint.of(m, adam, TrainingProgress.start()));
        var r = assertThrows(SafeTensorsException.class, () -> Checkpoints.resume(g, other, new SGD(other.parameters(), 0.1)));
        assertOneLine(g, "loaded parameter group 0 lacks SGD's options [momentum, dampening, nesterov] and has "
                + "[amsgrad, beta1, beta2, eps] (a state of Adam or AdamW, not SGD)", r);
    }
}
