package dev.linea.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code lstmCellRows} and its backward on every backend against the LSTM formulas evaluated here in double
 * precision, on hidden sizes with and without a vector tail, at input offsets other than 0, with and without
 * the incoming cell-state gradient: within float rounding (σ and tanh differ between backends by a few ulps).
 */
class BackendLstmCellTest {

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> kernels() {
        return BackendMatrixTest.kernels();
    }

    private static float[] data(SplittableRandom rnd, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble(lo, hi);
        }
        return a;
    }

    private static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static void close(double expected, float actual, String what) {
        assertEquals(expected, actual, 2e-6 + 2e-6 * Math.abs(expected), what);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void lstmCellMatchesTheFormulas(Backend k) {
        for (int hidden : new int[] {1, 3, 8, 17, 64, 133}) {
            for (boolean withGc : new boolean[] {false, true}) {
                int rows = 3, n = rows * hidden, off = 5;
                SplittableRandom rnd = new SplittableRandom(hidden * 31 + (withGc ? 1 : 0));
                // Wide enough to reach σ's and tanh's saturated ends, where the exp-based formulas change branch.
                float[] xw = data(rnd, off + 4 * n, -6, 6), hw = data(rnd, off + 4 * n, -6, 6);
                float[] c = data(rnd, off + n, -2, 2), g = data(rnd, off + 2 * n, -1, 1);
                float[] act = new float[4 * n], tanhC = new float[n], hc = new float[2 * n];
                float[] gz = new float[4 * n], gcPrev = new float[n];
                k.lstmCellRows(xw, off, hw, off, c, off, rows, hidden, act, tanhC, hc);
                k.lstmCellBackwardRows(g, off, withGc ? g : null, off + n, act, tanhC, c, off, rows, hidden, gz, gcPrev);
                String what = k.name() + " " + rows + "x" + hidden + (withGc ? " with gc" : "");
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < hidden; j++) {
                        int z = off + r * 4 * hidden + j, e = r * hidden + j;
                        double i = sig((double) xw[z] + hw[z]), f = sig((double) xw[z + hidden] + hw[z + hidden]);
                        double gg = Math.tanh((double) xw[z + 2 * hidden] + hw[z + 2 * hidden]);
                        double o = sig((double) xw[z + 3 * hidden] + hw[z + 3 * hidden]);
                        double cn = f * c[off + e] + i * gg, tc = Math.tanh(cn), h = o * tc;
                        close(h, hc[e], what + " h at " + e);
                        close(cn, hc[n + e], what + " c' at " + e);
                        double dh = g[off + e], dc = (withGc ? g[off + n + e] : 0) + dh * o * (1 - tc * tc);
                        int a = r * 4 * hidden + j;
                        close(dc * gg * i * (1 - i), gz[a], what + " dz_i at " + e);
                        close(dc * c[off + e] * f * (1 - f), gz[a + hidden], what + " dz_f at " + e);
                        close(dc * i * (1 - gg * gg), gz[a + 2 * hidden], what + " dz_g at " + e);
                        close(dh * tc * o * (1 - o), gz[a + 3 * hidden], what + " dz_o at " + e);
                        close(dc * f, gcPrev[e], what + " dc_prev at " + e);
                    }
                }
            }
        }
    }
}
