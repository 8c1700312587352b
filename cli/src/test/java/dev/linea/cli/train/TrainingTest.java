package dev.linea.cli.train;

import dev.linea.data.ImageSet;
import dev.linea.data.Split;
import dev.linea.data.FashionMNIST;
import dev.linea.models.FCNN;
import dev.linea.models.ModelCard;
import dev.linea.models.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training command's engine on the embedded sample: learning, run folder, resume, eval, predict. */
class TrainingTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    private static TrainSettings sample(int epochs, String scheduler) throws IOException {
        return Training.settings("fcnn", "sample", null, epochs, 64, "adam", 1e-3, 0, 7, 2, 0.1f, scheduler, 0, 0, 0);
    }

    @Test
    void oneEpochOnTheSampleLearnsWellAboveChanceAndWritesTheRunFolder(@TempDir Path dir) throws IOException {
        Training.start(sample(1, "none"), dir, out);
        List<String> metrics = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals("epoch,train_loss,test_loss,test_accuracy,lr,seconds", metrics.get(0));
        assertEquals(2, metrics.size(), metrics.toString());
        double accuracy = Double.parseDouble(metrics.get(1).split(",")[3]);
        assertTrue(accuracy > 0.6, "test accuracy after one epoch: " + accuracy + " (chance is 0.1)");
        for (String f : List.of("model.safetensors", "training-state.safetensors", "settings.properties",
                "curves.png", "confusion.png", "fc1-weights.png", "predictions.png")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        BufferedImage curves = ImageIO.read(dir.resolve("curves.png").toFile());
        assertNotNull(curves);
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Epoch 1/1  train loss"), text);
        assertTrue(text.contains("test accuracy"), text);
    }

    @Test
    void resumingAfterAStopMidEpochEndsWithTheWeightsOfAnUninterruptedRun(@TempDir Path dir) throws IOException {
        Path whole = dir.resolve("whole"), stopped = dir.resolve("stopped");
        Training.start(sample(2, "cosine"), whole, out);
        Training.start(sample(2, "cosine"), stopped, out, Trainer::requestStop); // stops after the first batch
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Stopped at epoch 1, batch 1/"), text);
        assertTrue(text.contains("Resume with: ./linea train --resume " + stopped), text);
        Training.resume(stopped, null, null, out);
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.safetensors")),
                Files.readAllBytes(stopped.resolve("model.safetensors")));
        assertEquals(Files.readAllLines(whole.resolve("metrics.csv")).stream().map(TrainingTest::withoutSeconds).toList(),
                Files.readAllLines(stopped.resolve("metrics.csv")).stream().map(TrainingTest::withoutSeconds).toList());
    }

    @Test
    void theModelFileOfARunDescribesItselfSoModelsLoadRebuildsIt(@TempDir Path dir) throws IOException {
        Training.start(sample(1, "none"), dir, out);
        Models.Loaded loaded = Models.loadWithCard(dir.resolve("model.safetensors"));
        assertTrue(loaded.module() instanceof FCNN, loaded.module().getClass().toString());
        ModelCard card = loaded.card();
        assertEquals("fcnn", card.architecture());
        assertEquals(0.1f, card.config().getFloat("dropout", 0));
        assertEquals(List.of(1, 28, 28), card.inputShape());
        assertEquals(List.of(FashionMNIST.MEAN), card.preprocessing().mean());
        assertEquals(List.of(FashionMNIST.STD), card.preprocessing().std());
        assertEquals(ImageSet.loadSample(Split.TEST).kind().classNames(), card.classNames());
        assertEquals(dev.linea.Linea.version(), card.lineaVersion());
    }

    private static String withoutSeconds(String row) {
        return row.substring(0, row.lastIndexOf(','));
    }

    @Test
    void theLearningRateOfEachEpochIsPrintedAndWrittenToTheMetrics(@TempDir Path dir) throws IOException {
        Training.start(sample(2, "step:1:0.5"), dir, out);
        List<String> metrics = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals("0.001", metrics.get(1).split(",")[4], metrics.toString());
        assertEquals("5.0E-4", metrics.get(2).split(",")[4], metrics.toString());
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("lr 0.001  (") && text.contains("lr 5.0E-4  ("), text);
    }

    @Test
    void evalReportsAccuracyPerClassAndPredictRanksTheClassesOfAnImage(@TempDir Path dir) throws IOException {
        Training.start(sample(1, "none"), dir, out);
        RunModel run = RunModel.open(dir, false);
        String report = run.evaluateReport();
        assertTrue(report.contains("Ankle boot") && report.contains("accuracy"), report);

        // A real test image (a trouser, label 1 in the sample's first images) written as a PNG.
        ImageSet test = ImageSet.loadSample(Split.TEST);
        int index = 0;
        while (test.label(index) != 1) {
            index++;
        }
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                img.getRaster().setSample(x, y, 0, test.pixel(index, y, x));
            }
        }
        Path png = dir.resolve("trouser.png");
        ImageIO.write(img, "png", png.toFile());
        String prediction = run.predictReport(png, 3);
        assertEquals(3, prediction.lines().count(), prediction);
        assertTrue(prediction.startsWith("Trouser"), prediction);
    }

    @Test
    void earlyStoppingStopsWhenTheTestLossStallsAndKeepsTheBestWeights(@TempDir Path dir) throws IOException {
        // A learning rate this high on 5,000 images overfits within a few epochs: the test loss turns up.
        TrainSettings s = Training.settings("fcnn", "sample", null, 12, 64, "adam", 1e-2, 0, 7, 2, 0f, "none", 0, 1, 0);
        Training.start(s, dir, out);
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Early stopping: the test loss has not improved for 1 epoch "), text);
        int epochs = Files.readAllLines(dir.resolve("metrics.csv")).size() - 1;
        assertTrue(epochs < 12, "ran all " + epochs + " epochs");
        RunModel best = RunModel.open(dir, true);
        assertTrue(best.evaluateReport().contains("accuracy"));
    }

    @Test
    void badSettingsAreRejectedWithTheValueNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Training.settings("fcnn", "cifar", null, 1, 64, "adam", 1e-3, 0, 0, 1, 0, "none", 0, 0, 0));
        assertTrue(e.getMessage().contains("cifar") && e.getMessage().contains("fashion-mnist"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Training.settings("fcnn", "sample", null, 0, 64, "adam", 1e-3, 0, 0, 1, 0, "none", 0, 0, 0));
        assertTrue(e.getMessage().contains("--epochs") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Training.settings("fcnn", "sample", null, 1, 64, "lbfgs", 1e-3, 0, 0, 1, 0, "none", 0, 0, 0));
        assertTrue(e.getMessage().contains("lbfgs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Training.settings("fcnn", "sample", null, 1, 64, "adam", -1, 0, 0, 1, 0, "none", 0, 0, 0));
        assertTrue(e.getMessage().contains("--lr"), e.getMessage());
    }

    @Test
    void resumingAFolderThatIsNotARunSaysWhatIsMissing(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> Training.resume(dir, null, null, out));
        assertTrue(e.getMessage().contains("settings.properties"), e.getMessage());
    }

    @Test
    void startingOverAnExistingRunIsRefusedSoNothingSavedIsLost(@TempDir Path dir) throws IOException {
        Training.start(sample(1, "none"), dir, out);
        byte[] before = Files.readAllBytes(dir.resolve("model.safetensors"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Training.start(sample(1, "none"), dir, out));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("model.safetensors")));
    }

    @Test
    void predictOnAFileThatIsNotAnImageSaysSo(@TempDir Path dir) throws IOException {
        Training.start(sample(1, "none"), dir, out);
        Path txt = Files.writeString(dir.resolve("notes.txt"), "hello");
        IOException e = assertThrows(IOException.class, () -> RunModel.open(dir, false).predictReport(txt, 3));
        assertTrue(e.getMessage().contains("notes.txt") && e.getMessage().contains("not an image"), e.getMessage());
        // The fuzzed 41-byte PNG declaring 28 x 16,777,216 pixels: ImageIO.read ran out of memory on it.
        Path tall = Files.write(dir.resolve("tall.png"), java.util.HexFormat.of().parseHex("89504e470d0a1a0a0000000d"
                + "494844520000001c010000000802000000" + "9e009e600000000c49444154"));
        e = assertThrows(IOException.class, () -> RunModel.open(dir, false).predictReport(tall, 3));
        assertEquals(tall + ": the PNG header declares 28 x 16,777,216 = 469,762,048 pixels, more than the 67,108,864"
                + " (64 Mpixel) Linea reads", e.getMessage());
    }
}
