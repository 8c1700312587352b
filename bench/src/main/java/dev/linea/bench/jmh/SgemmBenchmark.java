package dev.linea.bench.jmh;

import dev.linea.backend.Backends;
import dev.linea.backend.Backend;
import dev.linea.backend.Parallel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * sgemm throughput with the kernels in use. Each shape is {@code M×K×N} plus the transposes as stored
 * ({@code NN}, {@code NT}: B held as N×K, {@code TN}: A held as K×M). Reported as time per call; GFLOP/s is
 * {@code 2·M·N·K / time}. Run: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar Sgemm}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SgemmBenchmark {

    /** {@code M x K x N transposes}: squares, then the MNIST-MLP layer shapes. */
    @Param({"64x64x64_NN", "128x128x128_NN", "256x256x256_NN", "512x512x512_NN", "1024x1024x1024_NN",
            "2048x2048x2048_NN",
            "32x784x128_NT",     // forward x[32×784]·Wᵀ, W is 128×784
            "256x784x128_NT",    // forward, batch 256
            "784x32x128_TN",     // weight gradient xᵀ·g
            "32x128x784_NN"})    // input gradient g·W
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Backend kernels;
    private int m, k, n;
    private boolean transA, transB;
    private float[] a, b, c;

    @Setup
    public void setup() {
        String[] parts = shape.split("_");
        String[] dims = parts[0].split("x");
        m = Integer.parseInt(dims[0]);
        k = Integer.parseInt(dims[1]);
        n = Integer.parseInt(dims[2]);
        transA = parts[1].charAt(0) == 'T';
        transB = parts[1].charAt(1) == 'T';
        SplittableRandom rnd = new SplittableRandom(1);
        a = random(rnd, m * k);
        b = random(rnd, k * n);
        c = new float[m * n];
        kernels = Backends.get();
        Parallel.setNumThreads(threads);
    }

    private static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return x;
    }

    @Benchmark
    public float[] sgemm() {
        kernels.sgemm(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, false);
        return c;
    }
}
