package dev.linea.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.linea.Tensor;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** onnxruntime as the oracle of an export: runs a model's bytes on an input and compares with Linea's output. */
final class OrtOracle {
    /** The tolerance of the export checks: |ort − linea| ≤ 1e-5 + 1e-4·|linea|. */
    static final double ATOL = 1e-5, RTOL = 1e-4;

    private OrtOracle() {}

    /** The model's output on {@code input} (fed as "input"), as a Linea tensor of onnxruntime's shape. */
    static Tensor run(byte[] model, Tensor input) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, opts);
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.toFloatArray()),
                         Arrays.stream(input.shape()).asLongStream().toArray());
                 OrtSession.Result r = session.run(Map.of(Exporter.INPUT, x))) {
                OnnxTensor y = (OnnxTensor) r.get(Exporter.OUTPUT).orElseThrow();
                long[] shape = y.getInfo().getShape();
                FloatBuffer fb = y.getFloatBuffer();
                float[] v = new float[fb.remaining()];
                fb.get(v);
                return Tensor.wrap(v, Arrays.stream(shape).mapToInt(Math::toIntExact).toArray());
            }
        }
    }

    /** Fails unless {@code actual} has {@code expected}'s shape and values within the tolerance. */
    static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= ATOL + RTOL * Math.abs(e[i]))) {
                fail(what + ": element " + i + " is " + a[i] + " in onnxruntime, " + e[i] + " in Linea");
            }
        }
    }
}
