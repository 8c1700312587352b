package dev.linea.bench;

import dev.linea.Linea;
import dev.linea.kernels.KernelProvider;
import dev.linea.kernels.Kernels;

/** Times the sgemm kernel: GFLOP/s as the median of timed runs after a warm-up. */
public final class Sgemm {
    private Sgemm() {}

    /**
     * GFLOP/s of {@code C[m×n] = op(A)·op(B)} with inner size k ({@code transA}: A stored k×m;
     * {@code transB}: B stored n×k), on {@code threads} threads.
     */
    public static double gflops(int m, int k, int n, boolean transA, boolean transB, int threads) {
        Linea.setNumThreads(threads);
        Kernels kernels = KernelProvider.get();
        java.util.Random r = new java.util.Random(1);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextFloat() - 0.5f;
        }
        int lda = transA ? m : k, ldb = transB ? k : n;
        double flop = 2.0 * m * n * k;
        // Enough repetitions for ~50 ms per sample, and a warm-up long enough for the JIT.
        int reps = (int) Math.max(1, Math.min(100_000, 2e9 / 40 / flop));
        for (int w = 0; w < Math.max(200, reps * 3); w++) {
            kernels.sgemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
        }
        double[] rates = new double[7];
        for (int s = 0; s < rates.length; s++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                kernels.sgemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
            }
            rates[s] = flop * reps / ((System.nanoTime() - t0) / 1e9) / 1e9;
        }
        return Workloads.median(rates);
    }
}
