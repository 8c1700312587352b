package dev.linea.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.cli.CommandRun;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code linea train --data csv:FILE --label COLUMN} and {@code --data folder:DIR}: the model sized to the data. */
class OwnDataTrainingTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    /** Three Gaussian blobs in 3-D (unit variance, centres 4 apart), the label column in the middle. */
    private Path blobs() throws IOException {
        Random r = new Random(1);
        StringBuilder sb = new StringBuilder("a,species,b,c\n");
        String[] names = {"setosa", "versicolor", "virginica"};
        for (int i = 0; i < 150; i++) {
            int k = i % 3;
            sb.append(String.format(Locale.ROOT, "%.3f,%s,%.3f,%.3f%n", 4 * k + r.nextGaussian(), names[k],
                    -4 * k + r.nextGaussian(), r.nextGaussian()));
        }
        Path f = dir.resolve("blobs.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    /** {@code n} images per class of 12×12: a bright bar on the left ("left") or on the right ("right"), with noise. */
    private Path bars(Path root, int n, int size) throws IOException {
        Random r = new Random(2);
        for (String label : new String[] {"left", "right"}) {
            Files.createDirectories(root.resolve(label));
            for (int i = 0; i < n; i++) {
                BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        boolean bar = label.equals("left") ? x < size / 3 : x >= size - size / 3;
                        img.getRaster().setSample(x, y, 0, Math.min(255, (bar ? 200 : 20) + r.nextInt(40)));
                    }
                }
                ImageIO.write(img, "png", root.resolve(label).resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    private static Properties settings(Path run) throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(run.resolve(TrainSettings.FILE))) {
            p.load(r);
        }
        return p;
    }

    private static double lastAccuracy(Path run) throws IOException {
        List<String> rows = Files.readAllLines(run.resolve(RunFiles.METRICS));
        return Double.parseDouble(rows.getLast().split(",")[3]);
    }

    @Test
    void aCsvTableTrainsAnFcnnWithOneInputPerFeatureColumnAndLearns() throws IOException {
        Path csv = blobs(), run = dir.resolve("run");
        TrainSettings s = Training.settings("fcnn", "csv:" + csv, null, 4, 16, "adam", 1e-2, 0, 3, 2, 0f, "none", 0, 0,
                0, "species", 0.2, null);
        Training.start(s, run, out);
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Training fcnn (8,963 parameters) on " + csv.toAbsolutePath() + ": 150 rows, 3 features, "
                + "label 'species' with 3 classes; split at random (seed 3): 120 to train, 30 to test"), text);
        assertTrue(lastAccuracy(run) > 0.9, Files.readAllLines(run.resolve(RunFiles.METRICS)).toString());
        Properties p = settings(run);
        assertEquals("3", p.getProperty("features"));
        assertEquals("[\"setosa\",\"versicolor\",\"virginica\"]", p.getProperty("class_names"));
        assertTrue(Files.size(run.resolve(RunFiles.CONFUSION)) > 0 || !dev.linea.plot.Fonts.available());

        RunModel model = RunModel.open(run, false);
        String report = model.evaluateReport();
        assertTrue(report.contains("versicolor") && report.contains("macro avg") && report.contains("on 30 images"), report);
        var e = assertThrows(IllegalArgumentException.class, () -> model.predictReport(csv, 3));
        assertTrue(e.getMessage().contains("was trained on a CSV table"), e.getMessage());

        // The model file describes itself: the library rebuilds the FCNN with 3 inputs and 3 classes, and a row of
        // features (a setosa: near (0, 0, 0)) is classified by its names.
        var predictor = dev.linea.inference.Predictor.load(run.resolve(RunFiles.MODEL));
        assertEquals(3, ((dev.linea.models.FCNN) dev.linea.models.Models.load(run.resolve(RunFiles.MODEL))).inFeatures());
        assertEquals("setosa", predictor.predict(new float[] {0.1f, -0.2f, 0.3f}, 1).getFirst().label());

        // Resumed with more epochs: the same split (from the seed) and classes, one more row.
        Training.resume(run, 5, null, out);
        assertEquals(6, Files.readAllLines(run.resolve(RunFiles.METRICS)).size());
    }

    @Test
    void aFolderOfImagesTrainsOnItsSubFoldersAndPredictsAnImage() throws IOException {
        Path root = bars(dir.resolve("bars"), 30, 12), run = dir.resolve("run");
        TrainSettings s = Training.settings("fcnn", "folder:" + root, null, 3, 8, "adam", 1e-3, 0, 0, 2, 0f, "none",
                0, 0, 0, null, 0.25, null);
        Training.start(s, run, out);
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(": 60 images 12x12 (grey), 2 classes; split at random (seed 0): 45 to train, 15 to test"),
                text);
        assertTrue(lastAccuracy(run) > 0.9, Files.readAllLines(run.resolve(RunFiles.METRICS)).toString());
        Properties p = settings(run);
        assertEquals("144", p.getProperty("features"));
        assertEquals("12x12", p.getProperty("image_size"));
        if (dev.linea.plot.Fonts.available()) {
            assertTrue(Files.size(run.resolve(RunFiles.PREDICTIONS)) > 0);
            assertTrue(Files.size(run.resolve(RunFiles.WEIGHTS)) > 0);
        }
        String prediction = RunModel.open(run, false).predictReport(root.resolve("right/3.png"), 2);
        assertTrue(prediction.startsWith("right"), prediction);
    }

    @Test
    void aFolderWithTrainAndTestPartsUsesThemAndResizesWithImageSize() throws IOException {
        Path root = dir.resolve("parts");
        bars(root.resolve("train"), 20, 16);
        bars(root.resolve("test"), 6, 20); // another size: --image-size makes them alike
        Path run = dir.resolve("run");
        TrainSettings s = Training.settings("cnn", "folder:" + root, null, 1, 8, "adam", 1e-3, 0, 0, 2, 0f, "none",
                0, 0, 0, null, 0.2, "28x28");
        Training.start(s, run, out);
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(": 40 images 28x28 (grey), 2 classes; test: ") && text.contains(": 12 images 28x28"),
                text);
    }

    @Test
    void badDataOrOptionsAreOneLineWithExit2AndNothingIsWritten() throws IOException {
        Path csv = blobs(), run = dir.resolve("run");
        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "a,b,label\n1,2,x\n3,y\n");
        Path images = bars(dir.resolve("mixed"), 2, 12);
        bars(images.resolve("../mixed-other"), 1, 10);
        Files.move(images.resolve("../mixed-other/left/0.png"), images.resolve("left/9.png"));
        String[][] cases = {
                {"--data csv:" + csv + " needs --label COLUMN: the CSV column holding the classes", "--data", "csv:" + csv},
                {csv.toAbsolutePath() + ":1: no column 'kind' in the header (columns: a, species, b, c)", "--data",
                        "csv:" + csv, "--label", "kind"},
                {ragged.toAbsolutePath() + ":3: 2 fields, but the header has 3", "--data", "csv:" + ragged, "--label", "label"},
                {"the cnn model takes 28x28 images; train a CSV table with --model fcnn", "--data", "csv:" + csv,
                        "--label", "species", "--model", "cnn"},
                {"--label is for one's own data (--data csv:FILE, folder:DIR), not --data sample", "--data", "sample",
                        "--label", "x"},
                {"--image-size must be HxW (e.g. 28x28, each 1..4096), got '28'", "--data", "folder:" + images,
                        "--image-size", "28"},
                {images.toAbsolutePath().resolve("left/9.png") + ": is 10x10 (height x width) but the first image",
                        "--data", "folder:" + images},
                {"--test-split must be between 0 and 1 (exclusive), got 1.0", "--data", "csv:" + csv, "--label",
                        "species", "--test-split", "1"}};
        for (String[] c : cases) {
            String[] args = new String[c.length + 3];
            args[0] = "train";
            System.arraycopy(c, 1, args, 1, c.length - 1);
            args[c.length] = "--epochs";
            args[c.length + 1] = "1";
            args[c.length + 2] = "--out=" + run;
            CommandRun result = CommandRun.linea(args);
            String err = result.err().strip();
            assertEquals(2, result.code(), String.join(" ", args) + ": " + err);
            assertTrue(err.startsWith("linea: " + c[0]), err);
            assertEquals(1, err.lines().count(), err);
            assertFalse(Files.exists(run), "nothing written for " + String.join(" ", args));
        }
    }
}
