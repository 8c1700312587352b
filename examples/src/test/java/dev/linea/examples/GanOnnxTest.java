package dev.linea.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Tensor;
import dev.linea.io.SafeTensors;
import dev.linea.onnx.Onnx;
import dev.linea.onnx.OnnxModule;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The GAN generator exported by PyTorch ({@code scripts/onnx/export_torch.py}, the same layers under the same
 * names as {@link Gan.Generator}) imports and matches PyTorch, and its weights load into Linea's generator.
 */
class GanOnnxTest {
    private static final Path DIR = Path.of("../core/src/test/resources/onnx/torch");

    @Test
    void pyTorchsGeneratorImportsAndItsWeightsLoadIntoLineasGenerator() throws Exception {
        OnnxModule imported = Onnx.load(DIR.resolve("gan-generator.onnx"));
        Map<String, Tensor> io = SafeTensors.load(DIR.resolve("gan-generator-io.safetensors")).tensors();
        Tensor z = io.get("input"), expected = io.get("output");
        assertClose(expected, imported.forward(z), "imported");

        Gan.Generator g = new Gan.Generator();
        assertEquals(new TreeSet<>(g.stateDict().keySet()), new TreeSet<>(imported.stateDict().keySet()));
        g.loadStateDict(imported.stateDict());
        g.eval();
        assertClose(expected, g.forward(z), "Gan.Generator with PyTorch's weights");
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(a[i] - e[i]) <= 1e-5 + 1e-4 * Math.abs(e[i]),
                    what + ": element " + i + " is " + a[i] + ", PyTorch gives " + e[i]);
        }
    }
}
