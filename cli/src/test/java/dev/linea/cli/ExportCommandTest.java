package dev.linea.cli;

import dev.linea.Generator;
import dev.linea.io.Checkpoints;
import dev.linea.models.FCNN;
import dev.linea.models.ModelCard;
import dev.linea.nn.Module;
import dev.linea.onnx.ModelProto;
import dev.linea.onnx.NodeProto;
import dev.linea.onnx.Onnx;
import dev.linea.onnx.OnnxCodec;
import dev.linea.onnx.StringStringEntryProto;
import dev.linea.onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.linea.cli.CommandRun.linea;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code linea export RUN}: the run's weights as an ONNX graph, with its preprocessing and class names. */
class ExportCommandTest {
    @TempDir
    Path dir;

    /** A run folder of an FCNN on the bundled sample (mean 0.286, std 0.353), with the given weights saved. */
    private Path run(Module model) throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        try (InputStream in = ExportCommandTest.class.getResourceAsStream("/dev/linea/cli/train/run-v1/settings.properties")) {
            Files.copy(in, run.resolve("settings.properties"));
        }
        Checkpoints.saveModel(run.resolve("model.safetensors"), model);
        return run;
    }

    @Test
    void aRunBecomesAnOnnxFileWithItsWeightsPreprocessingAndClassNames() throws IOException {
        FCNN model = Module.withGenerator(new Generator(9), FCNN::new);
        Path run = run(model);
        Path file = dir.resolve("fcnn.onnx");
        CommandRun r = linea("export", run.toString(), "--out", file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Wrote " + file + ": 6 nodes, 109,386 values in 6 initializers"), r.out());

        ModelProto m = OnnxCodec.readModel(file);
        assertEquals(List.of("Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm"),
                m.graph().nodes().stream().map(NodeProto::opType).toList());
        TensorProto w = m.graph().initializers().getFirst();
        assertEquals("fc1.weight", w.name());
        assertArrayEquals(model.fc1.weight.toFloatArray(), w.toFloats());
        Map<String, String> meta = m.metadataProps().stream()
                .collect(Collectors.toMap(StringStringEntryProto::key, StringStringEntryProto::value));
        assertEquals("0.286", meta.get(Onnx.META_MEAN));
        assertEquals("0.353", meta.get(Onnx.META_STD));
        assertTrue(meta.get(Onnx.META_CLASS_NAMES).startsWith("[\"T-shirt/top\",\"Trouser\""), meta.toString());
        assertEquals("fcnn", ModelCard.fromMetadata(meta).orElseThrow().architecture());   // the run's card too
    }

    /** The exported file predicts what the run predicts: same preprocessing (from the metadata), same classes. */
    @Test
    void predictOnTheExportedFileGivesTheRunsAnswer() throws IOException {
        Path run = run(Module.withGenerator(new Generator(4), FCNN::new));
        Path file = dir.resolve("m.onnx"), png = dir.resolve("x.png");
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                img.getRaster().setSample(x, y, 0, (x * 7 + y * 3) % 200);
            }
        }
        javax.imageio.ImageIO.write(img, "png", png.toFile());
        assertEquals(0, linea("export", run.toString(), "--out", file.toString()).code());
        CommandRun fromRun = linea("predict", run.toString(), png.toString(), "--top", "10");
        CommandRun fromFile = linea("predict", file.toString(), png.toString(), "--top", "10");
        assertEquals(0, fromRun.code(), fromRun.err());
        assertEquals(0, fromFile.code(), fromFile.err());
        assertEquals(fromRun.out().lines().filter(l -> l.contains("%")).toList(),
                fromFile.out().lines().filter(l -> l.contains("%")).toList(), fromFile.out());
    }

    @Test
    void withoutOutTheFileGoesIntoTheRunFolder() throws IOException {
        Path run = run(new FCNN());
        assertEquals(0, linea("export", run.toString()).code());
        assertTrue(Files.isRegularFile(run.resolve("model.onnx")));
    }

    @Test
    void aRunWithoutWeightsIsOneLineNamingTheFile() throws IOException {
        Path run = run(new FCNN());
        Files.delete(run.resolve("model.safetensors"));
        CommandRun r = linea("export", run.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("linea: ") && r.err().contains("model.safetensors is missing")
                && r.err().strip().lines().count() == 1, r.err());
        assertFalse(Files.exists(run.resolve("model.onnx")));
    }
}
