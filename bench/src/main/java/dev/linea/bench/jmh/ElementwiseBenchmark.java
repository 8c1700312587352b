package dev.linea.bench.jmh;

import dev.linea.backend.BinaryOp;
import dev.linea.backend.Backend;
import dev.linea.backend.ScalarBackend;
import dev.linea.backend.UnaryOp;
import dev.linea.backend.vector.VectorBackend;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Non-GEMM kernels, scalar reference vs Vector API, single-threaded. Scores are elements per
 * nanosecond, i.e. Gelem/s ({@code @OperationsPerInvocation} counts elements). Elementwise ops use
 * {@value #N} elements, the chunk size {@code Ops} hands to one kernel call.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp <bench classpath> org.openjdk.jmh.Main ElementwiseBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBenchmark {

    static final int N = 32768;
    static final int ADAM_N = 100_000;

    @Param({"scalar", "vector"})
    public String impl;

    private Backend k;
    private float[] a, b, out;
    private float[] logits32, logits256, probs;
    private float[] p, g, m, v;

    @Setup
    public void setup() {
        k = impl.equals("vector") ? new VectorBackend() : new ScalarBackend();
        SplittableRandom rnd = new SplittableRandom(42);
        a = random(rnd, N, -4, 4);
        b = random(rnd, N, -4, 4);
        out = new float[N];
        logits32 = random(rnd, 32 * 10, -5, 5);
        logits256 = random(rnd, 256 * 10, -5, 5);
        probs = new float[256 * 10];
        p = random(rnd, ADAM_N, -1, 1);
        g = random(rnd, ADAM_N, -1, 1);
        m = new float[ADAM_N];
        v = new float[ADAM_N];
    }

    private static float[] random(SplittableRandom rnd, int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * (float) rnd.nextDouble();
        }
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] relu() {
        k.unary(UnaryOp.RELU, 0f, a, 0, out, 0, N);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] reluBackward() {
        k.binary(BinaryOp.RELU_GRAD, a, 0, b, 0, out, 0, N);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] add() {
        k.binary(BinaryOp.ADD, a, 0, b, 0, out, 0, N);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] exp() {
        k.unary(UnaryOp.EXP, 0f, a, 0, out, 0, N);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(32 * 10)
    public float[] softmax32x10() {
        k.softmaxRows(logits32, 0, probs, 0, 32, 10, false);
        return probs;
    }

    @Benchmark
    @OperationsPerInvocation(256 * 10)
    public float[] softmax256x10() {
        k.softmaxRows(logits256, 0, probs, 0, 256, 10, false);
        return probs;
    }

    @Benchmark
    @OperationsPerInvocation(ADAM_N)
    public float[] adamUpdate() {
        k.adamUpdate(p, 0, g, 0, m, v, 0, ADAM_N, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f);
        return p;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float sum() {
        return k.sum(a, 0, N);
    }
}
