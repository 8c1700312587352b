package dev.linea.bench;

import dev.linea.backend.Backends;
import dev.linea.backend.Backend;
import dev.linea.backend.Parallel;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A quick sgemm throughput probe: {@code C[m×n] = op(A)[m×k] · op(B)[k×n]} with the kernels in use,
 * reported as GFLOP/s ({@code 2·m·n·k} flops per call). Warm-up first (the Vector API is slow until C2
 * compiles it), then the median of several timed runs, each long enough to time reliably.
 *
 * <p>{@code main} prints a table for square sizes and the MNIST-MLP layer shapes with 1 and 2 threads;
 * arguments {@code m k n [transA transB threads]} measure one shape.
 */
public final class GemmGflops {

    private GemmGflops() {}

    /** Median GFLOP/s of {@code op(A)[m×k]·op(B)[k×n]} with {@code threads} threads (restored afterwards). */
    public static double gflops(int m, int k, int n, boolean transA, boolean transB, int threads) {
        return gflops(m, k, n, transA, transB, threads, 0.05, 7);
    }

    /** As {@link #gflops(int, int, int, boolean, boolean, int)}, with each timed run lasting about {@code runSeconds}. */
    public static double gflops(int m, int k, int n, boolean transA, boolean transB, int threads,
                                double runSeconds, int runs) {
        Backend kernels = Backends.get();
        SplittableRandom rnd = new SplittableRandom(1);
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        float[] c = new float[m * n];
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        double flops = 2.0 * m * n * k;
        int saved = Parallel.numThreads();
        Parallel.setNumThreads(threads);
        try {
            // Warm-up: enough calls for C2 to finish every path (at least 1 s and 200 calls; less misleads on a
            // busy machine, where compiled code arrives late), then size the timed runs.
            long start = System.nanoTime();
            int calls = 0;
            while (calls < 200 || System.nanoTime() - start < 1_000_000_000L) {
                kernels.sgemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
                calls++;
            }
            double perCall = (System.nanoTime() - start) / 1e9 / calls;
            int reps = (int) Math.max(1, Math.min(1_000_000, runSeconds / perCall));
            double[] rates = new double[runs];
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    kernels.sgemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
                }
                rates[r] = flops * reps / (System.nanoTime() - t0);
            }
            Arrays.sort(rates);
            return rates[runs / 2];
        } finally {
            Parallel.setNumThreads(saved);
        }
    }

    private static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return x;
    }

    /** The shapes reported by {@link #main}: {m, k, n, transA, transB} and a label. */
    static final Object[][] SHAPES = {
            {256, 256, 256, false, false, "square 256"},
            {512, 512, 512, false, false, "square 512"},
            {1024, 1024, 1024, false, false, "square 1024"},
            {32, 784, 128, false, true, "fwd x[32x784]·Wt"},
            {256, 784, 128, false, true, "fwd x[256x784]·Wt"},
            {784, 32, 128, true, false, "wgrad xt[784x32]·g"},
            {128, 32, 784, true, false, "wgrad gt[128x32]·x"},
            {32, 128, 784, false, false, "igrad g[32x128]·W"},
            {256, 128, 784, false, false, "igrad g[256x128]·W"},
    };

    public static void main(String[] args) {
        System.out.println("kernels: " + Backends.get().name());
        if (args.length >= 3) {
            int m = Integer.parseInt(args[0]), k = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]);
            boolean ta = args.length > 3 && Boolean.parseBoolean(args[3]);
            boolean tb = args.length > 4 && Boolean.parseBoolean(args[4]);
            int threads = args.length > 5 ? Integer.parseInt(args[5]) : 1;
            System.out.printf("m=%d k=%d n=%d transA=%b transB=%b threads=%d: %.1f GFLOP/s%n",
                    m, k, n, ta, tb, threads, gflops(m, k, n, ta, tb, threads));
            return;
        }
        // A first pass over all shapes lets C2 compile every path before anything is timed.
        for (Object[] s : SHAPES) {
            gflops((int) s[0], (int) s[1], (int) s[2], (boolean) s[3], (boolean) s[4], 1, 0.01, 1);
        }
        System.out.printf("%-22s %6s %6s %6s %10s %10s%n", "shape", "M", "K", "N", "1 thread", "2 threads");
        for (Object[] s : SHAPES) {
            int m = (int) s[0], k = (int) s[1], n = (int) s[2];
            boolean ta = (boolean) s[3], tb = (boolean) s[4];
            double g1 = gflops(m, k, n, ta, tb, 1);
            double g2 = gflops(m, k, n, ta, tb, 2);
            System.out.printf("%-22s %6d %6d %6d %10.1f %10.1f%n", s[5], m, k, n, g1, g2);
        }
    }
}
