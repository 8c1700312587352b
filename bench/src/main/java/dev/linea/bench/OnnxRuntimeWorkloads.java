package dev.linea.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.linea.data.Split;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The onnxruntime side of the inference workloads W2 and W6, run through onnxruntime's Java API on the
 * tutorial's FCNN as PyTorch 1.13 exports it ({@code torch_workloads.py export-onnx}): the same data,
 * batch sizes, warm-up and timing rules as {@link Workloads#w2} and {@link Workloads#w6}, argmax included.
 *
 * <p>A benchmark oracle only: onnxruntime is an optional dependency of the bench module, so it never
 * reaches the command-line jar. Run with the bench module's shaded jar:
 * {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar
 * dev.linea.bench.OnnxRuntimeWorkloads MODEL.onnx W2|W6 THREADS}.
 */
public final class OnnxRuntimeWorkloads {
    private static final String PEER = "onnxruntime-" + OrtEnvironment.getEnvironment().getVersion();

    private OnnxRuntimeWorkloads() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: OnnxRuntimeWorkloads MODEL.onnx W2|W6 THREADS");
        }
        int threads = Integer.parseInt(args[2]);
        Workloads.InMemory test = Workloads.InMemory.load(Split.TEST);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(args[0], options)) {
                List<Workloads.Figure> figures = switch (args[1].toUpperCase(java.util.Locale.ROOT)) {
                    case "W2" -> List.of(w2(env, session, test, threads));
                    case "W6" -> w6(env, session, test, threads);
                    default -> throw new IllegalArgumentException("unknown workload '" + args[1] + "': W2 or W6");
                };
                figures.forEach(f -> System.out.println(f.json(PEER)));
            }
        }
    }

    /** Samples/s at batch 1000: median of 5 passes after the same warm-up, over the same batches, as Linea's. */
    static Workloads.Figure w2(OrtEnvironment env, OrtSession session, Workloads.InMemory test, int threads)
            throws OrtException {
        int n = test.images().size(0), batch = 1000;
        String input = session.getInputNames().iterator().next();
        double[] times = new double[Workloads.W2_WARMUP_PASSES + 5];
        for (int rep = 0; rep < times.length; rep++) {
            long t0 = System.nanoTime();
            for (int b = 0; b < Workloads.W2_PASS_BATCHES; b++) {
                FloatBuffer x = FloatBuffer.wrap(test.pixels(), Workloads.w2BatchStart(b, n) * 784, batch * 784);
                argmaxRows(run(env, session, input, x, batch), 10);
            }
            times[rep] = (System.nanoTime() - t0) / 1e9;
        }
        double median = Workloads.median(Arrays.copyOfRange(times, Workloads.W2_WARMUP_PASSES, times.length));
        return new Workloads.Figure("W2", "batch1000-threads" + threads, Workloads.W2_PASS_BATCHES * batch / median,
                "samples/s");
    }

    /** Single-image latency, p50 and p99 in microseconds, as {@link Workloads#w6}. */
    static List<Workloads.Figure> w6(OrtEnvironment env, OrtSession session, Workloads.InMemory test, int threads)
            throws OrtException {
        int n = test.images().size(0);
        String input = session.getInputNames().iterator().next();
        double[] micros = new double[Workloads.W6_CALLS];
        for (int call = -Workloads.W6_WARMUP; call < Workloads.W6_CALLS; call++) {
            int r = Math.floorMod(call, n);
            long t0 = System.nanoTime();
            float[] image = Arrays.copyOfRange(test.pixels(), r * 784, r * 784 + 784);
            argmaxRows(run(env, session, input, FloatBuffer.wrap(image), 1), 10);
            if (call >= 0) {
                micros[call] = (System.nanoTime() - t0) / 1e3;
            }
        }
        return Workloads.latency(micros, threads);
    }

    private static float[] run(OrtEnvironment env, OrtSession session, String input, FloatBuffer x, int rows)
            throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(env, x, new long[] {rows, 784});
             OrtSession.Result r = session.run(Map.of(input, t))) {
            FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] logits = new float[out.remaining()];
            out.get(logits);
            return logits;
        }
    }

    private static int[] argmaxRows(float[] logits, int classes) {
        int[] best = new int[logits.length / classes];
        for (int i = 0; i < best.length; i++) {
            for (int j = 1; j < classes; j++) {
                if (logits[i * classes + j] > logits[i * classes + best[i]]) {
                    best[i] = j;
                }
            }
        }
        return best;
    }
}
