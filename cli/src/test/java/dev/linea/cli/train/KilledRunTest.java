package dev.linea.cli.train;


import dev.linea.io.Checkpoints;
import dev.linea.io.TrainingProgress;
import dev.linea.models.Models;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a real {@code linea train} process (a child JVM halted as {@code kill -9} would, by
 * {@code -Dlinea.test.haltAtWrite}) in the middle of its saves, at a different point each time, then checks
 * the run folder: every file there loads whole, {@code metrics.csv} is at most one row ahead of the
 * checkpoint, and continuing the run deletes the temporary files and ends with the weights and metrics of a
 * run that was never killed.
 */
class KilledRunTest {
    private static final List<String> ARGS = List.of("train", "--data", "sample", "--epochs", "2", "--batch-size",
            "1000", "--threads", "2", "--seed", "5");

    @TempDir
    static Path shared;
    private static Path reference;

    @BeforeAll
    static void uninterruptedRun() throws Exception {
        reference = shared.resolve("whole");
        assertEquals(0, train(reference, null));
    }

    /** Runs {@code linea train ... --out dir} in a child JVM, halted at {@code haltAt} if given; the exit code. */
    private static int train(Path dir, String haltAt) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-cp",
                System.getProperty("java.class.path")));
        if (haltAt != null) {
            cmd.add("-Dlinea.test.haltAtWrite=" + haltAt);
        }
        cmd.add("dev.linea.cli.Main");
        cmd.addAll(ARGS);
        cmd.addAll(List.of("--out", dir.toString()));
        Path log = shared.resolve(dir.getFileName() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("linea train did not finish in 120 s: " + Files.readString(log));
        }
        if (haltAt != null && p.exitValue() != 137) {
            throw new AssertionError("expected the halt at " + haltAt + ": " + Files.readString(log));
        }
        return p.exitValue();
    }

    private static List<String> tempFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        }
    }

    private static List<String> withoutSeconds(Path metrics) throws IOException {
        return Files.readAllLines(metrics).stream().map(r -> r.substring(0, r.lastIndexOf(','))).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "training-state.safetensors:1:written", // the first checkpoint not yet in place: start again
            "metrics.csv:2:renamed",                // epoch 2's row written, its checkpoint not
            "model.safetensors:2:written",          // the new weights half-way, the checkpoint not
            "training-state.safetensors:2:written", // the last checkpoint complete but not yet renamed
            "training-state.safetensors:2:renamed"  // the last checkpoint in place, the pictures not
    })
    void aRunKilledWhileSavingLeavesWholeFilesAndResumesToTheSameBits(String haltAt) throws Exception {
        Path dir = shared.resolve(haltAt.replace(':', '-'));
        train(dir, haltAt);
        if (haltAt.endsWith(":written")) {
            assertEquals(1, tempFiles(dir).size(), "the kill left the temporary file of the write: " + tempFiles(dir));
        }
        Path state = dir.resolve(RunFiles.STATE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        if (Files.exists(state)) {
            // Every file there is whole, and metrics.csv holds each finished epoch, at most one row ahead.
            TrainingProgress p = Checkpoints.load(state).progress();
            Checkpoints.loadModel(dir.resolve(RunFiles.MODEL), Models.create("fcnn", java.util.Map.of("dropout", 0.1f)));
            List<String> rows = Files.readAllLines(dir.resolve(RunFiles.METRICS));
            int finished = p.epoch() - 1;
            assertTrue(rows.size() - 1 == finished || rows.size() - 1 == finished + 1, rows + " vs epoch " + p.epoch());
            Training.resume(dir, null, null, log);
        } else {
            Training.start(TrainSettings.load(dir), dir, log);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        if (haltAt.endsWith(":written")) {
            assertTrue(text.contains("Deleted 1 temporary file left in " + dir + " by a save that was interrupted: ."),
                    text);
        }
        if (haltAt.equals("metrics.csv:2:renamed")) {
            assertTrue(text.contains(dir.resolve(RunFiles.METRICS) + ": dropped the row of epoch 2, written after the "
                    + "checkpoint (epoch 1)"), text);
        }
        assertEquals(List.of(), tempFiles(dir));
        assertEquals(3, Checkpoints.load(state).progress().epoch());
        assertArrayEquals(Files.readAllBytes(reference.resolve(RunFiles.MODEL)), Files.readAllBytes(dir.resolve(RunFiles.MODEL)),
                "weights after the kill and resume differ from the uninterrupted run's");
        assertEquals(withoutSeconds(reference.resolve(RunFiles.METRICS)), withoutSeconds(dir.resolve(RunFiles.METRICS)));
    }
}
