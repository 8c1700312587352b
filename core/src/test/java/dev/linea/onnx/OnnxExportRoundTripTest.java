package dev.linea.onnx;

import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.models.CNN;
import dev.linea.models.FCNN;
import dev.linea.nn.BatchNorm2d;
import dev.linea.nn.Conv2d;
import dev.linea.nn.ConvTranspose2d;
import dev.linea.nn.Dropout;
import dev.linea.nn.Flatten;
import dev.linea.nn.GELU;
import dev.linea.nn.LeakyReLU;
import dev.linea.nn.Linear;
import dev.linea.nn.MaxPool2d;
import dev.linea.nn.Module;
import dev.linea.nn.Parameter;
import dev.linea.nn.ReLU;
import dev.linea.nn.Sequential;
import dev.linea.nn.Softmax;
import dev.linea.nn.Upsample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export then {@link Onnx#load}: the imported module computes the exported one's outputs (at a batch size the
 * export was not traced at), and its parameters and buffers come back under the same state-dict names with
 * the same values, the trained ones trainable.
 */
class OnnxExportRoundTripTest {
    @TempDir
    Path dir;

    private void roundTrip(Supplier<Module> build, int... sampleShape) throws Exception {
        Module original = Module.withGenerator(new Generator(11), build);
        if (original.namedBuffers().containsKey("1.running_mean")) {   // move BatchNorm's statistics off (0, 1)
            original.train();
            try (var g = GradMode.noGrad()) {
                original.forward(Tensor.randn(new Generator(5), shape(8, sampleShape)).mul(3f).add(1f));
            }
        }
        Path file = dir.resolve("model.onnx");
        Onnx.export(original, Tensor.randn(new Generator(1), shape(2, sampleShape)), file);
        OnnxModule imported = Onnx.load(file);

        original.eval();
        imported.eval();
        Tensor x = Tensor.randn(new Generator(2), shape(5, sampleShape));
        try (var g = GradMode.noGrad()) {
            OrtOracle.assertClose(original.forward(x), imported.forward(x), "imported " + file);
        }

        Map<String, Tensor> exported = original.stateDict();
        Map<String, Tensor> back = imported.stateDict();
        assertTrue(!back.isEmpty());
        for (var e : back.entrySet()) {
            Tensor mine = exported.get(e.getKey());
            assertTrue(mine != null, e.getKey() + " is not a state-dict name of the exported module: " + exported.keySet());
            assertArrayEquals(mine.toFloatArray(), e.getValue().toFloatArray(), e.getKey());
        }
        Map<String, Boolean> trainable = new TreeMap<>(), wasTrainable = new TreeMap<>();
        imported.namedParameters().forEach((k, p) -> trainable.put(k, p.requiresGrad()));
        original.namedParameters().forEach((k, p) -> wasTrainable.put(k, true));
        assertEquals(wasTrainable, trainable, "parameters");
        for (String k : back.keySet()) {
            assertTrue(imported.namedParameters().containsKey(k) || k.contains("running_"), k);
        }
    }

    private static int[] shape(int batch, int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = batch;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }

    @Test
    void fcnnComesBackWithItsOutputsAndNames() throws Exception {
        roundTrip(() -> new FCNN(0.3f), 1, 28, 28);
    }

    @Test
    void cnnComesBackWithItsOutputsAndNames() throws Exception {
        roundTrip(CNN::new, 1, 28, 28);
    }

    @Test
    void batchNormNetComesBackWithItsStatistics() throws Exception {
        roundTrip(() -> new Sequential(new Conv2d(1, 4, 3), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Dropout(0.5f), new Linear(4 * 5 * 5, 3), new Softmax(1)), 1, 12, 12);
    }

    @Test
    void convTransposeUpsampleGeluNetComesBack() throws Exception {
        roundTrip(() -> new Sequential(new Conv2d(2, 4, 3, 2, 1), new GELU(), new ConvTranspose2d(4, 3, 3, 2, 1, 1),
                new LeakyReLU(0.2f), new Upsample(2)), 2, 6, 6);
    }

    @Test
    void parametersOfTheImportedModelTrain() throws Exception {
        Path file = dir.resolve("lin.onnx");
        Onnx.export(new Linear(3, 2), Tensor.randn(2, 3), file);
        OnnxModule m = Onnx.load(file);
        m.forward(Tensor.randn(4, 3)).sum().backward();
        Parameter w = m.namedParameters().get("weight");
        assertTrue(w.grad() != null, m.namedParameters().keySet().toString());
    }
}
