package dev.linea.cli.train;

import dev.linea.cli.train.ScheduleSpec.Constant;
import dev.linea.cli.train.ScheduleSpec.Cosine;
import dev.linea.cli.train.ScheduleSpec.Exponential;
import dev.linea.cli.train.ScheduleSpec.Linear;
import dev.linea.cli.train.ScheduleSpec.MultiStep;
import dev.linea.cli.train.ScheduleSpec.OneCycle;
import dev.linea.cli.train.ScheduleSpec.Plateau;
import dev.linea.cli.train.ScheduleSpec.Step;
import dev.linea.cli.train.ScheduleSpec.WarmupCosine;
import dev.linea.optim.lr.ReduceLROnPlateau;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code --scheduler} specs are read once into checked values; a bad one is named, part and all. */
class ScheduleSpecTest {

    /** The list every error ends with, as {@code ./linea train --scheduler} has always printed it. */
    private static final String ACCEPTED = "none | step:SIZE[:GAMMA] | multistep:M1,M2,...[:GAMMA] | exp:GAMMA "
            + "| cosine[:ETA_MIN] | linear[:START[:END[:ITERS]]] | warmup-cosine:W[:START[:ETA_MIN]] "
            + "| onecycle[:MAX_LR[:PCT_START]] | plateau[:PATIENCE[:FACTOR[:min|max]]]";

    @Test
    void eachFormReadsItsNumbersWithTheDefaultsForThoseLeftOut() {
        Map<String, ScheduleSpec.Form> expected = new java.util.LinkedHashMap<>();
        expected.put("none", new Constant());
        expected.put("constant", new Constant());
        expected.put("", new Constant());
        expected.put("step:2:0.5", new Step(2, 0.5));
        expected.put("step:10", new Step(10, 0.1));
        expected.put("multistep:30,60", new MultiStep(List.of(30, 60), 0.1));
        expected.put("multistep:3, 6:0.2", new MultiStep(List.of(3, 6), 0.2));
        expected.put("exp:0.9", new Exponential(0.9));
        expected.put("exponential:0.95", new Exponential(0.95));
        expected.put("cosine", new Cosine(0));
        expected.put("cos:1e-5", new Cosine(1e-5));
        expected.put("linear", new Linear(1.0 / 3, 1.0, 5));
        expected.put("linear:0.5:0.9:4", new Linear(0.5, 0.9, 4));
        expected.put("warmup-cosine:5", new WarmupCosine(5, 0.1, 0));
        expected.put("warmcos:2:0.2:0.001", new WarmupCosine(2, 0.2, 0.001));
        expected.put("onecycle", new OneCycle(OptionalDouble.empty(), 0.3));
        expected.put("onecycle:0.01", new OneCycle(OptionalDouble.of(0.01), 0.3));
        expected.put("1cycle::0.25", new OneCycle(OptionalDouble.empty(), 0.25));
        expected.put("plateau", new Plateau(10, 0.1, ReduceLROnPlateau.Mode.MIN));
        expected.put("plateau:3:0.5:max", new Plateau(3, 0.5, ReduceLROnPlateau.Mode.MAX));
        expected.forEach((text, form) -> assertEquals(new ScheduleSpec(text, form), ScheduleSpec.parse(text), text));
    }

    @Test
    void namesAreCaseInsensitiveAndTheTextIsKeptAsGiven() {
        ScheduleSpec spec = ScheduleSpec.parse(" Step:3:0.5 ");
        assertEquals(new Step(3, 0.5), spec.form());
        assertEquals(" Step:3:0.5 ", spec.text());
        assertEquals(new Plateau(1, 0.5, ReduceLROnPlateau.Mode.MAX), ScheduleSpec.parse("PLATEAU:1:0.5:MAX").form());
        assertEquals(new ScheduleSpec("none", new Constant()), ScheduleSpec.parse(null));
    }

    /** The message for {@code spec}: its problem between the spec and the accepted forms. */
    private static String error(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.parse(spec), spec).getMessage();
    }

    private static void assertProblem(String spec, String problem) {
        assertEquals("can't read scheduler spec '" + spec + "': " + problem + "; accepted: " + ACCEPTED, error(spec));
    }

    @Test
    void anUnknownNameIsNamed() {
        assertProblem("cosinus", "unknown scheduler 'cosinus'");
    }

    @Test
    void aWrongNumberOfFieldsShowsTheFormItTakes() {
        assertProblem("step", "'step' takes step:SIZE[:GAMMA] (1 to 2 values after the name), got 0");
        assertProblem("exp", "'exp' takes exp:GAMMA (1 value after the name), got 0");
        assertProblem("cosine:0:1", "'cosine' takes cosine[:ETA_MIN] (0 to 1 value after the name), got 2");
        assertProblem("none:5", "'none' takes none (no values after the name), got 1");
        assertProblem("plateau:1:0.5:min:x",
                "'plateau' takes plateau[:PATIENCE[:FACTOR[:min|max]]] (0 to 3 values after the name), got 4");
    }

    @Test
    void aBadFieldIsNamedWithWhatItMayBe() {
        assertProblem("step:x", "SIZE must be a whole number ≥ 1, got 'x'");
        assertProblem("step:0", "SIZE must be a whole number ≥ 1, got '0'");
        assertProblem("step::0.5", "SIZE must be a whole number ≥ 1, got ''");
        assertProblem("step:2:-0.5", "GAMMA must be a positive number, got '-0.5'");
        assertProblem("step:2:nan", "GAMMA must be a positive number, got 'nan'");
        assertProblem("multistep:3,x", "each of M1,M2,... must be a whole number ≥ 0, got 'x'");
        assertProblem("exp:", "GAMMA must be a positive number, got ''");
        assertProblem("cosine:-1", "ETA_MIN must be a number ≥ 0, got '-1'");
        assertProblem("linear:1.5", "START must be a number in [0, 1], got '1.5'");
        assertProblem("linear:0.5:1:0", "ITERS must be a whole number ≥ 1, got '0'");
        assertProblem("warmup-cosine:0", "W must be a whole number ≥ 1, got '0'");
        assertProblem("onecycle:0.01:2", "PCT_START must be a number in [0, 1], got '2'");
        assertProblem("onecycle:-0.01", "MAX_LR must be a positive number, got '-0.01'");
        assertProblem("plateau:-1", "PATIENCE must be a whole number ≥ 0, got '-1'");
        assertProblem("plateau:1:1", "FACTOR must be a number in [0, 1), got '1'");
        assertProblem("plateau:1:0.5:sideways", "MODE must be min or max, got 'sideways'");
    }

    @Test
    void aWarmUpMustEndBeforeTheRunsLastEpoch() {
        ScheduleSpec spec = ScheduleSpec.parse("warmup-cosine:10");
        assertDoesNotThrow(() -> spec.checkRunLength(30));
        assertDoesNotThrow(() -> spec.checkRunLength(11));
        var e = assertThrows(IllegalArgumentException.class, () -> spec.checkRunLength(10));
        assertEquals("can't read scheduler spec 'warmup-cosine:10': W (warm-up epochs) must be below the "
                + "run's 10 epochs, got 10; accepted: " + ACCEPTED, e.getMessage());
        assertEquals("can't read scheduler spec 'warmup-cosine:10': W (warm-up epochs) must be below the run's 1 epoch, "
                + "got 10; accepted: " + ACCEPTED, assertThrows(IllegalArgumentException.class,
                () -> spec.checkRunLength(1)).getMessage());
        assertDoesNotThrow(() -> ScheduleSpec.parse("cosine").checkRunLength(1));
    }

    @Test
    void trainSettingsKeepTheSpecReadOnceAndCheckItAgainstTheirEpochs(@TempDir Path dir) throws IOException {
        TrainSettings s = Training.settings("fcnn", "sample", null, 30, 64, "adam", 1e-3, 0, 7, 1, 0.1f,
                "Warmup-Cosine:10", 0, 0, 0);
        assertEquals(new WarmupCosine(10, 0.1, 0), s.scheduler().form());
        s.save(dir);
        assertEquals(new ScheduleSpec("Warmup-Cosine:10", new WarmupCosine(10, 0.1, 0)), TrainSettings.load(dir).scheduler());
        assertThrows(IllegalArgumentException.class, () -> s.withEpochs(10));
        var e = assertThrows(IllegalArgumentException.class, () -> Training.settings("fcnn", "sample", null, 3, 64, "adam",
                1e-3, 0, 7, 1, 0.1f, "warmup-cosine:5", 0, 0, 0));
        assertEquals("can't read scheduler spec 'warmup-cosine:5': W (warm-up epochs) must be below the run's 3 "
                + "epochs, got 5; accepted: " + ACCEPTED, e.getMessage());
    }
}
