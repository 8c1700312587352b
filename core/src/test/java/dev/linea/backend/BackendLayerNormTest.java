package dev.linea.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code layerNormRows} and its backward on every backend against the scalar reference (itself checked
 * against PyTorch in LayerGoldenTest), on row lengths with and without a vector tail, with and without
 * the affine parameters: within float rounding of the reference (the row sums' order differs).
 */
class BackendLayerNormTest {
    private static final ScalarBackend REF = new ScalarBackend();

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

    private static void close(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2e-5f + 2e-5f * Math.abs(expected[i]), what + " at " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void layerNormMatchesTheReference(Backend k) {
        for (int cols : new int[] {1, 3, 8, 17, 64, 129}) {
            for (boolean affine : new boolean[] {false, true}) {
                int rows = 5;
                SplittableRandom rnd = new SplittableRandom(cols * 7 + (affine ? 1 : 0));
                float[] x = data(rnd, rows * cols + 2, -3, 5), gy = data(rnd, rows * cols, -1, 1);
                float[] gamma = affine ? data(rnd, cols, 0.5, 2) : null, beta = affine ? data(rnd, cols, -1, 1) : null;
                float[][] ref = run(REF, x, gy, rows, cols, gamma, beta), got = run(k, x, gy, rows, cols, gamma, beta);
                String what = k.name() + " " + rows + "x" + cols + (affine ? " affine" : "");
                String[] names = {"y", "mean", "rstd", "gx", "gGamma", "gBeta"};
                for (int i = 0; i < ref.length; i++) {
                    if (ref[i] != null) {
                        close(ref[i], got[i], what + " " + names[i]);
                    }
                }
            }
        }
    }

    private static float[][] run(Backend k, float[] x, float[] gy, int rows, int cols, float[] gamma, float[] beta) {
        float[] y = new float[rows * cols], mean = new float[rows], rstd = new float[rows], gx = new float[rows * cols];
        float[] gGamma = gamma == null ? null : new float[cols], gBeta = gamma == null ? null : new float[cols];
        k.layerNormRows(x, 2, rows, cols, 1e-5f, gamma, beta, y, mean, rstd);
        k.layerNormBackwardRows(gy, x, 2, rows, cols, mean, rstd, gamma, gx, gGamma, gBeta);
        return new float[][] {y, mean, rstd, gx, gGamma, gBeta};
    }
}
