package dev.linea.cli.train;

import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.cli.Main;
import dev.linea.nn.Module;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A diverging run stops with one line naming what went non-finite or exploded, where, and which checkpoint is
 * kept; the checkpoint on disk is then byte for byte the last finite one; options that overflow float32 are
 * refused before anything is written.
 */
class DivergenceTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    /** The sample at batch 500: 10 batches an epoch. */
    private static TrainSettings settings(int epochs, String optimizer, double lr, String scheduler, double clip)
            throws IOException {
        return Training.settings("fcnn", "sample", null, epochs, 500, optimizer, lr, 0, 7, 2, 0.1f, scheduler, clip, 0, 0);
    }

    /** The run folder's checkpoint and weights, to compare byte for byte. */
    private static List<byte[]> files(Path run) throws IOException {
        return List.of(Files.readAllBytes(run.resolve(RunFiles.STATE)), Files.readAllBytes(run.resolve(RunFiles.MODEL)));
    }

    private static void assertSameFiles(List<byte[]> expected, Path run) throws IOException {
        List<byte[]> actual = files(run);
        assertArrayEquals(expected.get(0), actual.get(0), "training-state.safetensors changed");
        assertArrayEquals(expected.get(1), actual.get(1), "model.safetensors changed");
    }

    /**
     * Starts {@code s} in {@code run} with {@code hook(batchNumber, model)} after each backward (batches
     * counted from 1 over the whole run); the checkpoint on disk when batch {@code snapshotAt} begins is put in
     * {@code snapshot}. Returns the divergence it must end with.
     */
    private TrainingDiverged diverging(TrainSettings s, Path run, int snapshotAt, List<List<byte[]>> snapshot,
                                       BiConsumer<Integer, Module> hook) {
        return assertThrows(TrainingDiverged.class, () -> Training.start(s, run, out, trainer -> {
            int[] batch = {0};
            trainer.afterBackward(model -> {
                batch[0]++;
                if (batch[0] == snapshotAt) {
                    try {
                        snapshot.add(files(run));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                hook.accept(batch[0], model);
            });
        }));
    }

    private static void fill(Tensor t, float value) {
        try (var g = GradMode.noGrad()) {
            float[] v = t.toFloatArray();
            Arrays.fill(v, 0, 3, value);
            t.copy_(Tensor.wrap(v, t.shape()));
        }
    }

    @Test
    void aLossThatTurnsNaNInTheSecondEpochExitsWith3AndLeavesTheFirstEpochsCheckpointAsItWas(@TempDir Path dir)
            throws IOException {
        // exp:1e30 multiplies the rate by 1e30 after epoch 1: Adam's first step of epoch 2 throws the weights to
        // ~1e27 and the next forward overflows.
        Path reference = dir.resolve("stopped-after-epoch-1"), run = dir.resolve("diverging");
        Training.start(settings(2, "adam", 1e-3, "exp:1e30", 0), reference, out, trainer -> {
            int[] batch = {0};
            trainer.afterBackward(m -> {
                if (++batch[0] == 10) {
                    trainer.requestStop(); // at the epoch's last batch: it ends, saves, and stops
                }
            });
        });
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("Stopped after epoch 1"));
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("train", "--data", "sample", "--epochs", "2", "--batch-size", "500", "--seed", "7",
                    "--threads", "2", "--scheduler", "exp:1e30", "--out", run.toString());
        } finally {
            System.setErr(oldErr);
        }
        String message = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(TrainingDiverged.EXIT_CODE, code, message);
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("linea: training diverged at epoch 2, batch 2 of 10, lr 1.0E27: the loss is NaN. "
                + "Nothing non-finite was written: the last good checkpoint (after epoch 1) is kept in "
                + run.resolve(RunFiles.STATE) + "; ./linea train --resume " + run + " continues from it"), message);
        assertSameFiles(files(reference), run);
        assertEquals(Files.readAllLines(reference.resolve(RunFiles.METRICS)).size(),
                Files.readAllLines(run.resolve(RunFiles.METRICS)).size(), "metrics.csv still ends with epoch 1");

        // Resuming repeats the same steps: the same divergence, and the checkpoint still untouched.
        TrainingDiverged again = assertThrows(TrainingDiverged.class, () -> Training.resume(run, null, null, out));
        assertTrue(again.getMessage().startsWith("training diverged at epoch 2, batch 2 of 10"), again.getMessage());
        assertSameFiles(files(reference), run);
    }

    @Test
    void aLossThatExplodesFourOrdersOfMagnitudeAboveAUniformGuessStopsTheRun(@TempDir Path dir) throws IOException {
        // The case: Adam at lr 1e6 used to finish with a loss of 2e22, 10 % accuracy and exit 0.
        TrainSettings s = Training.settings("fcnn", "sample", null, 3, 64, "adam", 1e6, 0, 0, 2, 0.1f, "cosine", 0, 0, 0);
        TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> Training.start(s, dir, out));
        assertTrue(e.getMessage().startsWith("training diverged at epoch 1, batch 2 of 79, lr 1000000.0: the loss "
                + "exploded to "), e.getMessage());
        assertTrue(e.getMessage().contains("above 23,026 (10,000 × ln 10, the loss of guessing uniformly among 10 "
                + "classes). Nothing was saved: no epoch had been checkpointed yet."), e.getMessage());
        assertFalse(Files.exists(dir.resolve(RunFiles.STATE)));
        assertFalse(Files.exists(dir.resolve(RunFiles.MODEL)));
    }

    @Test
    void anExplosionInALaterEpochKeepsTheCheckpointBeforeIt(@TempDir Path dir) throws IOException {
        // exp:1e4 takes Adam from 1e-3 to 10 in epoch 2: finite, but the loss jumps to ~1e8.
        Path run = dir.resolve("run");
        List<List<byte[]>> afterEpoch1 = new java.util.ArrayList<>();
        TrainingDiverged e = diverging(settings(2, "adam", 1e-3, "exp:1e4", 0), run, 11, afterEpoch1, (b, m) -> { });
        assertTrue(e.getMessage().startsWith("training diverged at epoch 2, batch 2 of 10, lr 10.0: the loss exploded"),
                e.getMessage());
        assertSameFiles(afterEpoch1.getFirst(), run);
    }

    @Test
    void aNonFiniteGradientIsNamedWithItsParameterAndNothingIsSaved(@TempDir Path dir) throws IOException {
        for (double clip : new double[] {0, 1}) { // clipping checks the gradients before it; the step after it
            Path run = dir.resolve("clip-" + clip);
            List<List<byte[]>> afterEpoch1 = new java.util.ArrayList<>();
            TrainingDiverged e = diverging(settings(2, "adam", 1e-3, "none", clip), run, 11, afterEpoch1, (b, model) -> {
                if (b == 13) {
                    fill(model.namedParameters().get("fc2.bias").grad(), Float.NaN);
                }
            });
            assertTrue(e.getMessage().startsWith("training diverged at epoch 2, batch 3 of 10, lr 0.001: the gradient "
                    + "of fc2.bias holds NaN (3 of 64 elements non-finite). Nothing non-finite was written: the last "
                    + "good checkpoint (after epoch 1) is kept in "), e.getMessage());
            assertEquals(clip == 0, e.getMessage().endsWith("train anew with a --lr below 0.001 or with --clip-grad-norm 1"),
                    e.getMessage());
            assertSameFiles(afterEpoch1.getFirst(), run);
        }
    }

    @Test
    void aParameterThatOverflowsInTheStepIsNamed(@TempDir Path dir) {
        // lr 1e38 is a float, but Adam's step size lr / (1 - beta1) = 1e39 is not.
        TrainSettings s = assertDoesNotThrowSettings(() -> settings(1, "adam", 1e38, "none", 0));
        TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> Training.start(s, dir, out));
        assertTrue(e.getMessage().startsWith("training diverged at epoch 1, batch 1 of 10, lr 1.0E38: fc1.weight became "),
                e.getMessage());
        assertTrue(e.getMessage().contains("in the optimizer step, its gradient being finite: the update overflowed "
                + "float32. Nothing was saved"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(RunFiles.STATE)));
    }

    @Test
    void anOptimizerStateThatOverflowsIsFoundBeforeTheSaveAndNotWritten(@TempDir Path dir) throws IOException {
        // A finite gradient of 3e38 squares to infinity in Adam's exp_avg_sq: the weights stay finite (the step
        // divides by infinity) but the state would stall every later step; the save after epoch 2 refuses it.
        Path run = dir.resolve("run");
        List<List<byte[]>> afterEpoch1 = new java.util.ArrayList<>();
        TrainingDiverged e = diverging(settings(2, "adam", 1e-3, "none", 0), run, 11, afterEpoch1, (b, model) -> {
            if (b == 13) {
                fill(model.namedParameters().get("fc3.bias").grad(), 3e38f);
            }
        });
        assertTrue(e.getMessage().startsWith("training diverged after epoch 2, lr 0.001: the optimizer's exp_avg_sq of "
                + "fc3.bias holds inf (3 of 10 elements non-finite). Nothing non-finite was written: the last good "
                + "checkpoint (after epoch 1)"), e.getMessage());
        assertSameFiles(afterEpoch1.getFirst(), run);
    }

    @Test
    void aTestLossThatOverflowsIsNotRecorded(@TempDir Path dir) throws IOException {
        // One batch of SGD at lr 1e30: finite weights near 1e27, whose outputs overflow on the test images.
        TrainSettings s = Training.settings("fcnn", "sample", null, 1, 5000, "sgd", 1e30, 0, 0, 2, 0.1f, "none", 0, 0, 0);
        TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> Training.start(s, dir, out));
        assertTrue(e.getMessage().startsWith("training diverged after epoch 1, lr 1.0E30: the test loss is NaN"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve(RunFiles.STATE)));
        assertFalse(Files.exists(dir.resolve(RunFiles.METRICS)));
    }

    @Test
    void optionsThatOverflowFloat32AreRefusedBeforeTheRunStarts(@TempDir Path dir) {
        assertRefused("--lr must fit float32, in which training runs (at most 3.4028235E38), got 1.0E300",
                () -> settings(1, "adam", 1e300, "none", 0));
        assertRefused("--lr 1.0E-50 rounds to 0 in float32", () -> settings(1, "adam", 1e-50, "none", 0));
        assertRefused("--weight-decay must fit float32, in which training runs (at most 3.4028235E38), got 1.0E39",
                () -> Training.settings("fcnn", "sample", null, 1, 64, "adam", 1e-3, 1e39, 0, 1, 0, "none", 0, 0, 0));
        assertRefused("--clip-grad-norm must fit float32, in which training runs (at most 3.4028235E38), got 1.0E300",
                () -> settings(1, "adam", 1e-3, "none", 1e300));
        assertRefused("can't read scheduler spec 'exp:1e300': GAMMA must fit float32, in which training runs (at most "
                + "3.4028235E38), got '1e300'", () -> settings(1, "adam", 1e-3, "exp:1e300", 0));
        assertRefused("can't read scheduler spec 'onecycle:1e39': MAX_LR must fit float32",
                () -> settings(1, "adam", 1e-3, "onecycle:1e39", 0));
        assertRefused("can't read scheduler spec 'cosine:1e39': ETA_MIN must fit float32",
                () -> settings(1, "adam", 1e-3, "cosine:1e39", 0));
        assertRefused("--scheduler exp:1e3 raises --lr 0.001 to 1.0E54 within the run's 20 epochs, beyond float32",
                () -> settings(20, "adam", 1e-3, "exp:1e3", 0));
        assertRefused("--scheduler step:2:1e10 raises --lr 0.001 to 1.0E87", () -> settings(20, "adam", 1e-3,
                "step:2:1e10", 0));
        assertDoesNotThrowSettings(() -> settings(2, "adam", 1e-3, "exp:1e30", 0)); // 1e27 at its peak: a float

        // The command line: refused with the option and value, exit 2, nothing written.
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("train", "--data", "sample", "--batch-size", "5000", "--epochs", "1", "--lr", "1e300",
                    "--out", dir.resolve("run").toString());
        } finally {
            System.setErr(oldErr);
        }
        assertEquals(2, code);
        assertEquals("linea: --lr must fit float32, in which training runs (at most 3.4028235E38), got 1.0E300",
                err.toString(StandardCharsets.UTF_8).strip());
        assertFalse(Files.exists(dir.resolve("run")));
    }

    private interface SettingsCall {
        TrainSettings get() throws IOException;
    }

    private static void assertRefused(String expectedStart, SettingsCall call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }

    private static TrainSettings assertDoesNotThrowSettings(SettingsCall call) {
        try {
            return call.get();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
