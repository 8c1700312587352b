package dev.linea.examples;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.nn.Module;
import dev.linea.onnx.Onnx;
import dev.linea.onnx.OnnxCodec;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GAN's generator and discriminator, exported to ONNX (traced at batch 3), run in onnxruntime at batch 1
 * and 8 and give Linea's outputs within 1e-5 abs / 1e-4 rel; the discriminator's Dropout is left out.
 */
class GanOnnxExportTest {
    private static void check(Module model, int features) throws Exception {
        Generator gen = new Generator(3);
        byte[] bytes = OnnxCodec.encode(Onnx.exportModel(model, Tensor.randn(gen, 3, features), Map.of()));
        model.eval();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(bytes, new OrtSession.SessionOptions())) {
            for (int batch : new int[] {1, 8}) {
                Tensor x = Tensor.randn(gen, batch, features);
                float[] expected;
                try (var g = GradMode.noGrad()) {
                    expected = model.forward(x).toFloatArray();
                }
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toFloatArray()), new long[] {batch, features});
                     OrtSession.Result r = session.run(Map.of("input", in))) {
                    OnnxTensor y = (OnnxTensor) r.get("output").orElseThrow();
                    assertEquals(batch, y.getInfo().getShape()[0], "output batch");
                    FloatBuffer fb = y.getFloatBuffer();
                    float[] actual = new float[fb.remaining()];
                    fb.get(actual);
                    assertEquals(expected.length, actual.length, "output size");
                    for (int i = 0; i < expected.length; i++) {
                        float e = expected[i], a = actual[i];
                        assertTrue(Math.abs(e - a) <= 1e-5 + 1e-4 * Math.abs(e), model.getClass().getSimpleName() + " batch "
                                + batch + " element " + i + ": onnxruntime " + a + ", Linea " + e);
                    }
                }
            }
        }
    }

    @Test
    void generatorRunsInOnnxRuntimeAsInLinea() throws Exception {
        check(Module.withGenerator(new Generator(1), Gan.Generator::new), Gan.LATENT);
    }

    @Test
    void discriminatorRunsInOnnxRuntimeAsInLinea() throws Exception {
        check(Module.withGenerator(new Generator(2), Gan.Discriminator::new), 784);
    }
}
