package dev.linea.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Backend#pack} and the product with a packed operand, for every implementation: the reference's
 * values (bitwise for the scalar backend, within float rounding of the terms for the others), the same
 * bits for any thread count and whichever rows are computed together, and a copy that later changes to
 * the source do not reach.
 */
class PackedGemmTest {

    private static final ScalarBackend REF = new ScalarBackend();
    /** m, n, k: one K block and one M block, column tails, two and three K blocks, several M blocks, tiny. */
    private static final int[][] SHAPES = {{32, 512, 128}, {32, 128, 512}, {7, 33, 300}, {100, 70, 513},
            {300, 64, 64}, {1, 17, 5}, {5, 1, 1}, {13, 48, 600}};

    static Stream<Backend> kernels() {
        return BackendMatrixTest.implementations().stream();
    }

    private static float[] fill(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** One product: A m×k at offset 3 with lda k+2, B (or Bᵀ) at offset 1 with ld +3, C at offset 2 with ldc n+1. */
    private record Case(int m, int n, int k, boolean transB, boolean accumulate, float[] a, float[] b, float[] c0) {
        static Case random(SplittableRandom rnd, int[] s, boolean transB, boolean accumulate) {
            int m = s[0], n = s[1], k = s[2];
            return new Case(m, n, k, transB, accumulate, fill(rnd, 3 + m * (k + 2)),
                    fill(rnd, 1 + (transB ? n * (k + 3) : k * (n + 3))), fill(rnd, 2 + m * (n + 1)));
        }

        int ldb() {
            return transB ? k + 3 : n + 3;
        }

        float[] packed(Backend kb, PackedMatrix p, int rowFrom, int rowTo) {
            float[] c = c0.clone();
            kb.sgemm(rowTo - rowFrom, a, 3 + rowFrom * (k + 2), k + 2, p, c, 2 + rowFrom * (n + 1), n + 1, accumulate);
            return c;
        }

        float[] reference() {
            float[] c = c0.clone();
            REF.sgemm(false, transB, m, n, k, a, 3, k + 2, b, 1, ldb(), c, 2, n + 1, accumulate);
            return c;
        }

        float magnitude(int i, int j) {
            float s = accumulate ? Math.abs(c0[2 + i * (n + 1) + j]) : 0f;
            for (int p = 0; p < k; p++) {
                float bv = transB ? b[1 + j * ldb() + p] : b[1 + p * ldb() + j];
                s += Math.abs(a[3 + i * (k + 2) + p] * bv);
            }
            return s;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void givesTheReferenceProductForBothLayoutsOfBAndBothWriteModes(Backend kb) {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int[] s : SHAPES) {
            for (int mode = 0; mode < 4; mode++) {
                Case c = Case.random(rnd, s, (mode & 1) != 0, (mode & 2) != 0);
                float[] got = c.packed(kb, kb.pack(c.transB, c.k, c.n, c.b, 1, c.ldb()), 0, c.m);
                float[] want = c.reference();
                String what = kb.name() + " " + Arrays.toString(s) + " transB=" + c.transB + " accumulate=" + c.accumulate;
                if (kb.getClass() == ScalarBackend.class) {
                    assertArrayEquals(want, got, what);
                    continue;
                }
                for (int idx = 0; idx < got.length; idx++) {
                    int row = (idx - 2) / (c.n + 1), col = (idx - 2) % (c.n + 1);
                    boolean inC = idx >= 2 && row < c.m && col < c.n;
                    float tol = inC ? 1e-5f * (c.magnitude(row, col) + 1e-3f) : 0f;
                    assertEquals(want[idx], got[idx], tol, what + " at " + idx + (inC ? "" : " (outside C: untouched)"));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void givesTheSameBitsForAnyThreadCountAndAnyRowsComputedTogether(Backend kb) {
        SplittableRandom rnd = new SplittableRandom(5);
        int saved = Parallel.numThreads();
        try {
            for (int[] s : SHAPES) {
                Case c = Case.random(rnd, s, false, true);
                PackedMatrix p = kb.pack(false, c.k, c.n, c.b, 1, c.ldb());
                Parallel.setNumThreads(1);
                float[] one = c.packed(kb, p, 0, c.m);
                for (int threads : new int[] {2, 3}) {
                    Parallel.setNumThreads(threads);
                    assertArrayEquals(one, c.packed(kb, p, 0, c.m), kb.name() + " " + threads + " threads " + Arrays.toString(s));
                }
                // Row by row: what a row gets does not depend on the rows it was computed with.
                int from = c.m / 3, to = Math.max(from + 1, 2 * c.m / 3);
                float[] part = c.packed(kb, p, from, to);
                for (int i = from; i < to; i++) {
                    int o = 2 + i * (c.n + 1);
                    assertArrayEquals(Arrays.copyOfRange(one, o, o + c.n), Arrays.copyOfRange(part, o, o + c.n),
                            kb.name() + " row " + i + " of " + Arrays.toString(s));
                }
            }
        } finally {
            Parallel.setNumThreads(saved);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void isACopyThatLaterChangesToTheSourceDoNotReach(Backend kb) {
        Case c = Case.random(new SplittableRandom(7), new int[] {9, 40, 30}, true, false);
        PackedMatrix p = kb.pack(true, c.k, c.n, c.b, 1, c.ldb());
        float[] before = c.packed(kb, p, 0, c.m);
        Arrays.fill(c.b, 42f);
        assertArrayEquals(before, c.packed(kb, p, 0, c.m));
    }

    @Test
    void isRefusedByABackendThatDidNotPackItAndForAnotherDepth() {
        List<Backend> all = BackendMatrixTest.implementations();
        Backend other = new ScalarBackend();
        PackedMatrix p = REF.pack(false, 4, 3, new float[12], 0, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> other.sgemm(2, new float[8], 0, 4, p, new float[6], 0, 3, false));
        assertEquals("packed matrix: packed by backend scalar, used by scalar", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.dataFor(REF, 5));
        assertEquals("packed matrix: inner dimension 4, product needs 5", e.getMessage());
        if (all.size() > 1) {
            Backend vector = all.get(1);
            e = assertThrows(IllegalArgumentException.class,
                    () -> vector.sgemm(2, new float[8], 0, 4, p, new float[6], 0, 3, false));
            assertTrue(e.getMessage().startsWith("packed matrix: packed by backend scalar, used by vector"), e.getMessage());
        }
    }
}
