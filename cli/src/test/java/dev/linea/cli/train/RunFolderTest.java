package dev.linea.cli.train;

import dev.linea.cli.CommandRun;
import dev.linea.models.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.linea.cli.CommandRun.linea;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code linea train --resume}, {@code eval} and {@code predict} do with a damaged run folder or with
 * options that contradict the saved run: exit 2 with one line naming the file (or the option) and the
 * problem, nothing written. The run is the version 1 folder of {@link VersionOneRunTest} (FCNN, SGD, batch 2,
 * step:1:0.5, seed 5, stopped in epoch 2 of 3).
 */
class RunFolderTest {
    @TempDir
    Path dir;

    private Path run() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        for (String f : List.of(TrainSettings.FILE, RunFiles.METRICS, RunFiles.STATE)) {
            try (InputStream in = RunFolderTest.class.getResourceAsStream("run-v1/" + f)) {
                Files.copy(in, run.resolve(f));
            }
        }
        return run;
    }

    /** Exit 2 and exactly one line, {@code linea: } then {@code start}, containing {@code fault}. */
    private static void assertRefused(CommandRun r, String start, String fault) {
        assertEquals(2, r.code(), r.err());
        String line = "linea: " + start;
        assertTrue(r.err().startsWith(line) && r.err().contains(fault) && r.err().strip().lines().count() == 1,
                r.err());
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), from);
        Files.writeString(file, text.replace(from, to));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "trainstate-name-without-dot-sioobe.safetensors | unexpected tensor 'optimizer.state.x'",
            "trainstate-empty-index-nfe.safetensors | unexpected tensor 'optimizer.state..exp_avg'",
            "trainstate-scheduler-not-object-cce.safetensors | 'scheduler' must be a JSON object, got 1e999",
            "trainstate-scheduler-null-npe.safetensors | 'scheduler' must be a JSON object, got null"})
    void theFuzzersTrainingStatesFailResumeWithOneLineNamingTheFile(String repro, String fault) throws IOException {
        Path run = run();
        Path state = run.resolve(RunFiles.STATE);
        try (InputStream in = RunFolderTest.class.getResourceAsStream("repro/" + repro)) {
            Files.copy(in, state, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertRefused(linea("train", "--resume", run.toString()), state + ": ", fault);
    }

    @Test
    void anSgdRunResumedOverAnAdamSettingIsRefusedNamingBoth() throws IOException {
        Path run = run();
        replace(run.resolve(TrainSettings.FILE), "optimizer=sgd", "optimizer=adam");
        assertRefused(linea("train", "--resume", run.toString()), run.resolve(RunFiles.STATE) + ": ",
                "does not fit this model and optimizer: loaded parameter group 0 lacks Adam's options [beta1, beta2, eps] "
                        + "and has [dampening, momentum, nesterov] (a state of SGD, not Adam)");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "--optimizer | adam | trained with --optimizer sgd",
            "--model | cnn | trained with --model fcnn",
            "--batch-size | 64 | trained with --batch-size 2",
            "--lr | 0.01 | trained with --lr 0.002",
            "--scheduler | cosine | trained with --scheduler step:1:0.5",
            "--data | mnist | trained with --data sample",
            "--seed | 6 | trained with --seed 5",
            "--dropout | 0.5 | trained with --dropout 0.1",
            "--augment-shift | 0 | trained with --augment-shift 1"})
    void anOptionThatContradictsTheSavedRunIsRefusedBeforeAnythingIsWritten(String option, String value, String saved)
            throws IOException {
        Path run = run();
        byte[] state = Files.readAllBytes(run.resolve(RunFiles.STATE));
        CommandRun r = linea("train", "--resume", run.toString(), option, value);
        assertRefused(r, option + " " + value + " conflicts with the run in " + run, saved
                + ": a resumed run keeps its settings (start a new run with --out to change them)");
        assertArrayEquals(state, Files.readAllBytes(run.resolve(RunFiles.STATE)));
    }

    @Test
    void outMustBeTheRunFolderAndTheSavedValuesOrAMovedDataFolderAreAccepted() throws IOException {
        Path run = run();
        assertRefused(linea("train", "--resume", run.toString(), "--out", dir.resolve("elsewhere").toString()),
                "--out " + dir.resolve("elsewhere") + " conflicts with --resume " + run, "a resumed run is written in its own folder");

        CommandRun same = linea("train", "--resume", run.toString(), "--epochs", "1", "--out", run.toString(), "--model", "fcnn",
                "--optimizer", "sgd", "--batch-size", "2", "--lr", "0.002", "--scheduler", "STEP:1:0.50", "--seed", "5",
                "--data", "sample", "--threads", "1", "--data-dir", dir.toString());
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("Reading the data from " + dir + " (the run read it from the usual places)"), same.out());
        assertTrue(same.out().contains("already finished 1 epochs"), same.out());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "model=fcnn | | 'model' is missing",
            "model=fcnn | model=resnet | unknown model 'resnet' (expected fcnn, cnn)",
            "epochs=3 | epochs=three | 'epochs' is not a number: 'three'",
            "epochs=3 | epochs=0 | --epochs must be at least 1, got 0",
            "optimizer=sgd | optimizer=lbfgs | unknown optimizer 'lbfgs' (expected adam, adamw, sgd)",
            "normalize_std=0.353 | normalize_std=0 | normalize_std 0.0 must be finite, the deviation positive",
            "scheduler=step\\:1\\:0.5 | scheduler=wobble | scheduler",
            "seed=5 | seed=\\u00zz | not a readable settings file"})
    void aDamagedSettingsFileIsOneLineNamingIt(String from, String to, String fault) throws IOException {
        Path run = run();
        replace(run.resolve(TrainSettings.FILE), from, to == null ? "" : to);
        Path settings = run.resolve(TrainSettings.FILE);
        assertRefused(linea("train", "--resume", run.toString()), settings + ": ", fault);
        assertRefused(linea("eval", run.toString()), settings + ": ", fault);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "epoch,train_loss | epoch;train_loss | line 1 is not the metrics header",
            "1,0.932556,0.643839,0.751000,2.927 | 1,0.932556,0.643839 | line 2 is not a metrics row (epoch and four numbers): '1,0.932556,0.643839'",
            "1,0.932556,0.643839,0.751000,2.927 | 1,0.93,0.64,0.75,2.9\\n1,0.9,0.6,0.7,2 | line 3 is epoch 1, after epoch 1",
            "1,0.932556,0.643839,0.751000,2.927 | x,0.93,0.64,0.75,2.9 | line 2 is not a metrics row"})
    void aDamagedMetricsFileIsOneLineNamingIt(String from, String to, String fault) throws IOException {
        Path run = run();
        Path metrics = run.resolve(RunFiles.METRICS);
        replace(metrics, from, to.replace("\\n", "\n"));
        assertRefused(linea("train", "--resume", run.toString()), metrics + ": ", fault);
    }

    @Test
    void aDamagedModelFileIsOneLineNamingIt() throws IOException {
        Path run = run();
        // The version 1 folder holds no model.safetensors: write one, then cut it in half.
        dev.linea.io.Checkpoints.saveModel(run.resolve(RunFiles.MODEL), Models.create("fcnn", java.util.Map.of()));
        Path model = run.resolve(RunFiles.MODEL);
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, Arrays.copyOf(bytes, bytes.length / 2));
        assertRefused(linea("eval", run.toString()), model + ": ", "");
        Path png = dir.resolve("x.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
                "png", png.toFile());
        assertRefused(linea("predict", run.toString(), png.toString()), model + ": ", "");
        dev.linea.io.Checkpoints.saveModel(model, Models.create("cnn", java.util.Map.of()));
        assertRefused(linea("eval", run.toString()), model + ": ", "does not fit the model");
    }
}
