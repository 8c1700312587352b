package dev.linea.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.models.FCNN;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads a Linea checkpoint into PyTorch with {@code scripts/check_safetensors.py} (a hand-written
 * reader, no {@code safetensors} package) and reads PyTorch's output back. Skipped where
 * {@code /usr/bin/python3} cannot import torch.
 */
class PyTorchInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path tmp;

    private static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path s = dir.resolve("scripts/check_safetensors.py");
            if (Files.isRegularFile(s)) {
                return s;
            }
        }
        return null;
    }

    private static boolean torchAvailable() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void pytorchLoadsLineaCheckpointAndAgreesOnTheLogits() throws Exception {
        Path script = script();
        assumeTrue(script != null && torchAvailable(), "needs /usr/bin/python3 with torch");
        FCNN model = new FCNN();
        Tensor input = Tensor.rand(new Generator(5), 4, 784);
        Tensor logits = model.forward(input);
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.stateDict());
        tensors.put("probe.input", input);
        tensors.put("probe.output", logits.detach());
        Path file = tmp.resolve("fcnn.safetensors");
        Path back = tmp.resolve("torch.safetensors");
        SafeTensors.save(file, tensors, Map.of("format", "pt"));

        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), file.toString(), back.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python timed out");
        System.out.print(out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("OK"), out);

        SafeTensors.Loaded fromTorch = SafeTensors.load(back);
        assertEquals("scripts/check_safetensors.py", fromTorch.metadata().get("written_by"));
        Tensor torchLogits = fromTorch.tensors().get("logits");
        assertArrayEquals(new int[] {4, 10}, torchLogits.shape());
        assertArrayEquals(logits.toFloatArray(), torchLogits.toFloatArray(), 1e-4f);
    }
}
