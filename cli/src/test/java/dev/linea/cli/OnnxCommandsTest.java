package dev.linea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.cli.train.TrainSettings;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on ONNX files (PyTorch's exports of core's tests): {@code summary model.onnx},
 * {@code predict model.onnx IMAGE}, {@code train --init model.onnx}.
 */
class OnnxCommandsTest {
    private static final Path TORCH = Path.of("../core/src/test/resources/onnx/torch");

    @TempDir
    Path dir;

    @Test
    void summaryListsInputsOpsAndWeightsUnderTheirStateDictKeys() {
        CommandRun r = CommandRun.linea("summary", TORCH.resolve("cnn-bn-folded.onnx").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ONNX IR 8, opset 17, made by pytorch 1.13"), r.out());
        assertTrue(r.out().contains("input   input float[N,1,28,28]"), r.out());
        assertTrue(r.out().contains("output  output float[N,10]"), r.out());
        assertTrue(r.out().contains("Conv ×2"), r.out());
        assertTrue(r.out().contains("onnx::Conv_"), r.out());
        assertTrue(r.out().contains("fc1.weight"), r.out());
        assertTrue(r.out().contains("Total parameters: "), r.out());
    }

    @Test
    void predictReadsAnImageThroughAnOnnxModel() throws Exception {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 8; y < 20; y++) {
            for (int x = 12; x < 16; x++) {
                img.getRaster().setSample(x, y, 0, 255);
            }
        }
        Path png = dir.resolve("one.png");
        ImageIO.write(img, "png", png.toFile());
        CommandRun r = CommandRun.linea("predict", TORCH.resolve("fcnn-softmax.onnx").toString(), png.toString(), "--top", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(no preprocessing in the file's metadata: pixels in [0, 1])"), r.out());
        assertTrue(r.out().contains("(the outputs already sum to 1: read as probabilities)"), r.out());
        assertEquals(2, r.out().lines().filter(l -> l.startsWith("class ")).count(), r.out());
        CommandRun logits = CommandRun.linea("predict", TORCH.resolve("cnn.onnx").toString(), png.toString());
        assertEquals(0, logits.code(), logits.err());
        assertTrue(!logits.out().contains("already sum to 1"), logits.out());
        assertEquals(3, logits.out().lines().filter(l -> l.matches("class \\d +\\d+\\.\\d\\d%")).count(), logits.out());
    }

    @Test
    void trainInitStartsFromTheOnnxWeightsOfTheArchitectureTheyFit() throws Exception {
        Path run = dir.resolve("run");
        CommandRun r = CommandRun.linea("train", "--init", TORCH.resolve("fcnn.onnx").toString(), "--data", "sample", "--epochs", "1",
                "--batch-size", "64", "--threads", "1", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Starting from the weights of " + TORCH.resolve("fcnn.onnx")), r.out());
        assertEquals("fcnn", TrainSettings.load(run).model(), "--model follows the weights");
        assertTrue(Files.isRegularFile(run.resolve("model.safetensors")));
    }

    @Test
    void trainInitRefusesWeightsThatFitNoArchitecture() {
        CommandRun r = CommandRun.linea("train", "--init", TORCH.resolve("cnn-bn.onnx").toString(), "--data", "sample",
                "--out", dir.resolve("x").toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("fit none of the models the command line trains (fcnn, cnn)"), r.err());
        r = CommandRun.linea("train", "--init", TORCH.resolve("fcnn.onnx").toString(), "--model", "cnn", "--data", "sample",
                "--out", dir.resolve("y").toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("fcnn.onnx does not fit --model cnn: missing [conv1.weight"), r.err());
        assertTrue(!Files.exists(dir.resolve("y").resolve("settings.properties")), "nothing written for a refused run");
    }
}
