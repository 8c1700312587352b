package dev.linea.cli.train;

import dev.linea.io.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --resume} under every schedule: stopped anywhere it continues bit for bit, and {@code --epochs} past
 * the planned end rebuilds the schedules that depend on the run's length and leaves the others as they were.
 */
class ResumeScheduleTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    /** The sample at batch 1000: 5 batches an epoch. */
    private static TrainSettings sample(int epochs, String scheduler) throws IOException {
        return Training.settings("fcnn", "sample", null, epochs, 1000, "adam", 1e-3, 0, 7, 2, 0.1f, scheduler, 0, 0, 0);
    }

    /** Stops the trainer after batch {@code n} of the run (counted from 1 over all epochs). */
    private static java.util.function.Consumer<Trainer> stopAfterBatch(int n) {
        return trainer -> {
            int[] batch = {0};
            trainer.afterBackward(m -> {
                if (++batch[0] == n) {
                    trainer.requestStop();
                }
            });
        };
    }

    private static double savedLr(Path run) throws IOException {
        return ((Number) Checkpoints.load(run.resolve(RunFiles.STATE)).optimizer().paramGroups().getFirst().get("lr"))
                .doubleValue();
    }

    @Test
    void aRunStoppedInItsSecondEpochResumesToTheSameBitsUnderSchedulesWhoseConstructorMovesTheRate(@TempDir Path dir)
            throws IOException {
        // LinearLR scales the rate by START when built, OneCycleLR sets it to MAX_LR/25 and SequentialLR resets it:
        // built over the restored optimizer, they used to change the rate of the first batches after a resume.
        for (String spec : List.of("linear", "onecycle", "warmup-cosine:1")) {
            Path whole = dir.resolve(spec + "-whole"), stopped = dir.resolve(spec + "-stopped");
            Training.start(sample(3, spec), whole, out);
            Training.start(sample(3, spec), stopped, out, stopAfterBatch(7)); // epoch 2, batch 2
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("Stopped at epoch 2, batch 2/5"), spec);
            Training.resume(stopped, null, null, out);
            assertArrayEquals(Files.readAllBytes(whole.resolve(RunFiles.MODEL)),
                    Files.readAllBytes(stopped.resolve(RunFiles.MODEL)), spec);
        }
    }

    @Test
    void extendingARunWhoseScheduleDependsOnItsLengthTrainsOnTheRebuiltCurveNotAtTheOldEndsRate(@TempDir Path dir)
            throws IOException {
        for (String spec : List.of("cosine", "warmup-cosine:1", "onecycle")) {
            Path extended = dir.resolve(spec + "-extended"), planned = dir.resolve(spec + "-planned");
            Training.start(sample(2, spec), extended, out);
            double end = savedLr(extended);
            Training.resume(extended, 4, null, out, stopAfterBatch(1)); // stops after epoch 3's first batch
            String text = log.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("The " + spec + " schedule was planned for 2 epochs and is rebuilt for 4: from here"
                    + " it follows "), text);
            // A run planned for 4 epochs from the start, stopped at the same batch: the same rate, to rounding.
            Training.start(sample(4, spec), planned, out, stopAfterBatch(11));
            double expected = savedLr(planned);
            assertEquals(expected, savedLr(extended), expected * 1e-12, spec + " (the old end's rate: " + end + ")");
            assertTrue(expected > 10 * end, spec + ": " + expected + " vs " + end);
        }
    }

    @Test
    void anExtensionCutShortBeforeItsFirstSaveIsStillRebuiltOnTheNextResume(@TempDir Path dir) throws IOException {
        Training.start(sample(2, "cosine"), dir, out);
        // The extending resume writes --epochs 4 into settings.properties, then ends before any save (here: a
        // gradient turned NaN in its first batch; a kill would leave the same folder).
        assertThrows(TrainingDiverged.class, () -> Training.resume(dir, 4, null, out, trainer -> trainer.afterBackward(
                m -> ResumeScheduleTest.poison(m.namedParameters().get("fc1.bias").grad()))));
        assertEquals(4, TrainSettings.load(dir).epochs());
        // The checkpoint says its schedule was stepped for 2 epochs: the next resume still rebuilds it.
        Training.resume(dir, null, null, out, stopAfterBatch(1));
        assertTrue(log.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("The cosine schedule was planned for 2 epochs and is rebuilt for 4")).count() == 2);
        assertEquals(5e-4, savedLr(dir), 1e-15); // 1e-3 · (1 + cos(π·2/4)) / 2, not the old end's 0
    }

    private static void poison(dev.linea.Tensor grad) {
        try (var g = dev.linea.autograd.GradMode.noGrad()) {
            float[] v = grad.toFloatArray();
            v[0] = Float.NaN;
            grad.copy_(dev.linea.Tensor.wrap(v, grad.shape()));
        }
    }

    @Test
    void extendingARunWhoseScheduleDoesNotDependOnItsLengthEqualsTrainingThatLongFromTheStart(@TempDir Path dir)
            throws IOException {
        for (String spec : List.of("none", "step:1:0.5", "multistep:1:0.5", "exp:0.5", "linear:0.5:1:2",
                "plateau:0:0.5")) {
            Path extended = dir.resolve(spec.replace(':', '_') + "-extended");
            Path whole = dir.resolve(spec.replace(':', '_') + "-whole");
            Training.start(sample(1, spec), extended, out);
            Training.resume(extended, 2, null, out);
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("The " + spec + " schedule was planned for 1 epoch; "
                    + "it does not depend on the run's length and goes on as it was"), spec);
            Training.start(sample(2, spec), whole, out);
            assertArrayEquals(Files.readAllBytes(whole.resolve(RunFiles.MODEL)),
                    Files.readAllBytes(extended.resolve(RunFiles.MODEL)), spec);
        }
    }

    @Test
    void shorteningARunBelowItsWarmUpIsRefusedWithTheReason(@TempDir Path dir) throws IOException {
        Training.start(sample(4, "warmup-cosine:2"), dir, out, stopAfterBatch(5)); // stops after epoch 1
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Training.resume(dir, 2, null, out));
        assertTrue(e.getMessage().startsWith("can't read scheduler spec 'warmup-cosine:2': W (warm-up epochs) must be "
                + "below the run's 2 epochs, got 2"), e.getMessage());
    }
}
