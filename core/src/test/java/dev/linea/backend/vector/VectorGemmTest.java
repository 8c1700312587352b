package dev.linea.backend.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.backend.Parallel;
import dev.linea.backend.ScalarBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * VectorGemm against the scalar reference. Tolerance: {@code |c - ref| <= 1e-5 · (Σ_p |A(i,p)|·|B(p,j)| + |c0|)},
 * i.e. relative to the magnitude of the terms summed (float rounding grows with k and summation order).
 */
class VectorGemmTest {

    private static final ScalarBackend REF = new ScalarBackend();
    private static final float REL_TOL = 1e-5f;

    /** One random problem: operand storage with padding (offsets, leading dims larger than needed). */
    private record Problem(boolean transA, boolean transB, int m, int n, int k, boolean accumulate,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] c0, int cOff, int ldc) {

        static Problem random(SplittableRandom rnd, boolean transA, boolean transB, int m, int n, int k,
                              boolean accumulate, boolean padded) {
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            int lda = aCols + (padded ? rnd.nextInt(1, 7) : 0);
            int ldb = bCols + (padded ? rnd.nextInt(1, 7) : 0);
            int ldc = n + (padded ? rnd.nextInt(1, 7) : 0);
            int aOff = padded ? rnd.nextInt(1, 9) : 0;
            int bOff = padded ? rnd.nextInt(1, 9) : 0;
            int cOff = padded ? rnd.nextInt(1, 9) : 0;
            float[] a = fill(rnd, aOff + Math.max(0, aRows * lda) + 5);
            float[] b = fill(rnd, bOff + Math.max(0, bRows * ldb) + 5);
            float[] c = fill(rnd, cOff + Math.max(0, m * ldc) + 5);
            return new Problem(transA, transB, m, n, k, accumulate, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }

        float[] run(boolean reference) {
            float[] c = c0.clone();
            if (reference) {
                REF.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            } else {
                VectorGemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            }
            return c;
        }

        float absA(int i, int p) {
            return Math.abs(transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
        }

        float absB(int p, int j) {
            return Math.abs(transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
        }

        void check() {
            float[] expected = run(true);
            float[] actual = run(false);
            String what = "%s%s m=%d n=%d k=%d acc=%b".formatted(transA ? "T" : "N", transB ? "T" : "N", m, n, k,
                    accumulate);
            for (int idx = 0; idx < actual.length; idx++) {
                int rel = idx - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside) {
                    // Padding and memory outside C must be untouched.
                    assertEquals(c0[idx], actual[idx], what + ": wrote outside C at " + idx);
                    continue;
                }
                int i = rel / ldc, j = rel % ldc;
                float scale = accumulate ? Math.abs(c0[idx]) : 0f;
                for (int p = 0; p < k; p++) {
                    scale += absA(i, p) * absB(p, j);
                }
                float err = Math.abs(actual[idx] - expected[idx]);
                assertTrue(err <= REL_TOL * scale + Float.MIN_NORMAL,
                        what + ": C[" + i + "][" + j + "] = " + actual[idx] + ", expected " + expected[idx]);
            }
        }
    }

    private static float[] fill(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return x;
    }

    @Test
    void matchesReferenceOnRandomShapesForAllTransposesAndAccumulateModes() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int trial = 0; trial < 60; trial++) {
            int m = rnd.nextInt(1, 80), n = rnd.nextInt(1, 80), k = rnd.nextInt(1, 80);
            for (int t = 0; t < 4; t++) {
                Problem.random(rnd, (t & 1) != 0, (t & 2) != 0, m, n, k, rnd.nextBoolean(), rnd.nextBoolean()).check();
            }
        }
    }

    @Test
    void matchesReferenceOnBlockedShapesWithMAndNTailsAndSeveralKBlocks() {
        SplittableRandom rnd = new SplittableRandom(7);
        int[][] shapes = {
                {32, 128, 784}, {37, 129, 300}, {151, 47, 513}, {290, 33, 257}, {13, 4100, 40},
                {300, 300, 20}, {7, 17, 1000}, {145, 16, 256}, {289, 95, 31}, {64, 64, 64}, {300, 100, 700}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                for (boolean acc : new boolean[] {false, true}) {
                    Problem.random(rnd, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], acc, true).check();
                }
            }
        }
    }

    @Test
    void matchesReferenceForSingleRowAndSingleColumnResults() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            Problem.random(rnd, ta, tb, 1, 1000, 300, false, true).check();
            Problem.random(rnd, ta, tb, 1000, 1, 300, true, true).check();
            Problem.random(rnd, ta, tb, 1, 1, 5000, false, false).check();
            Problem.random(rnd, ta, tb, 1, 7, 3, false, true).check();
        }
    }

    @Test
    void emptyInnerDimensionZeroesOrKeepsC() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (boolean acc : new boolean[] {false, true}) {
            Problem p = Problem.random(rnd, false, false, 9, 11, 0, acc, true);
            float[] c = p.run(false);
            assertArrayEquals(p.run(true), c);
            if (!acc) {
                assertEquals(0f, c[p.cOff()]);
            }
        }
    }

    @Test
    void emptyOutputLeavesEverythingUntouched() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (int[] s : new int[][] {{0, 10, 10}, {10, 0, 10}, {0, 0, 0}}) {
            Problem p = Problem.random(rnd, false, true, s[0], s[1], s[2], false, true);
            assertArrayEquals(p.c0(), p.run(false));
        }
    }

    @Test
    void resultsDoNotChangeOnceTheJitHasCompiledTheKernels() {
        // Interpreted and compiled Vector API code must round alike (e.g. no reduceLanes, whose order is open).
        SplittableRandom rnd = new SplittableRandom(12);
        for (int t = 0; t < 4; t++) {
            Problem p = Problem.random(rnd, (t & 1) != 0, (t & 2) != 0, 21, 30, 200, false, true);
            float[] first = p.run(false);
            for (int i = 0; i < 3000; i++) {
                p.run(false);
            }
            assertArrayEquals(first, p.run(false));
        }
    }

    @Test
    void kBlockFitsAPackedBStripInTwoThirdsOfLevelOneWithinItsBounds() {
        assertEquals(256, VectorGemm.kcForCache(-1), "L1 unknown");
        for (long l1d : new long[] {16 * 1024, 32 * 1024, 48 * 1024, 64 * 1024, 1024 * 1024}) {
            int kc = VectorGemm.kcForCache(l1d);
            assertTrue(kc >= 128 && kc <= 512 && kc % 64 == 0, "KC " + kc + " for L1d " + l1d);
            long share = l1d * 2 / 3;
            assertTrue(kc == 128 || (long) kc * VectorGemm.NR * 4 <= share, "KC " + kc + " overflows 2/3 of L1d " + l1d);
            assertTrue(kc == 512 || (long) (kc + 64) * VectorGemm.NR * 4 > share,
                    "KC " + kc + " leaves 2/3 of L1d " + l1d + " unused");
        }
    }

    @Test
    void manyRowsGiveTheBitsOfTheSameRowsMultipliedAFewAtATime() {
        // Many rows, several K blocks and a K block of packed B wider than half of L2 (2200 columns: 2 MB for a
        // 234-deep block) sum C's full tiles in a buffer (runPacked, tiled); 100 rows at a time is one M block, added into
        // C directly (and more rows than the dot-product path takes). Per element both are the same chain of
        // operations.
        SplittableRandom rnd = new SplittableRandom(5);
        for (int t = 0; t < 4; t++) {
            for (boolean acc : new boolean[] {false, true}) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                Problem p = Problem.random(rnd, ta, tb, 300, 2200, 700, acc, true);
                float[] whole = p.run(false);
                float[] pieces = p.c0().clone();
                for (int i0 = 0; i0 < p.m(); i0 += 100) {
                    int rows = Math.min(100, p.m() - i0);
                    int aOff = p.aOff() + (ta ? i0 : i0 * p.lda());
                    VectorGemm.sgemm(ta, tb, rows, p.n(), p.k(), p.a(), aOff, p.lda(), p.b(), p.bOff(), p.ldb(),
                            pieces, p.cOff() + i0 * p.ldc(), p.ldc(), acc);
                }
                assertArrayEquals(pieces, whole, (ta ? "T" : "N") + (tb ? "T" : "N") + " acc=" + acc);
            }
        }
    }

    @Test
    void resultsAreBitwiseIdenticalForOneAndTwoThreads() {
        SplittableRandom rnd = new SplittableRandom(11);
        int saved = Parallel.numThreads();
        try {
            int[][] shapes = {{32, 128, 784}, {256, 128, 784}, {784, 128, 32}, {32, 784, 128}, {300, 301, 302},
                    {50, 60, 70}, {700, 20, 600}};
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    Problem p = Problem.random(rnd, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], t == 1, true);
                    Parallel.setNumThreads(1);
                    float[] one = p.run(false);
                    Parallel.setNumThreads(2);
                    float[] two = p.run(false);
                    Parallel.setNumThreads(3);
                    float[] three = p.run(false);
                    assertArrayEquals(one, two, "1 vs 2 threads at " + java.util.Arrays.toString(s));
                    assertArrayEquals(one, three, "1 vs 3 threads at " + java.util.Arrays.toString(s));
                }
            }
        } finally {
            Parallel.setNumThreads(saved);
        }
    }
}
