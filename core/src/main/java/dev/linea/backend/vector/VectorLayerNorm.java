package dev.linea.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer normalisation on the Vector API, the twin of {@code ScalarBackend.layerNormRows} and its backward:
 * the row sums run lane-parallel (a fixed order: lanes, then the lanes' sum, then the tail), so results
 * differ from the scalar reference's left-to-right sums by rounding only (BackendMatrixTest bounds it)
 * and do not depend on the thread count; the elementwise parts are the same formulas, lane by lane.
 */
final class VectorLayerNorm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorLayerNorm() {}

    private static float sum(float[] a, int off, int n) {
        int i = 0, bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; i < bound; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, a, off + i));
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[off + i];
        }
        return s;
    }

    private static float centeredSquares(float[] a, int off, int n, float m) {
        int i = 0, bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; i < bound; i += S.length()) {
            FloatVector d = FloatVector.fromArray(S, a, off + i).sub(m);
            acc = d.fma(d, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float d = a[off + i] - m;
            s += d * d;
        }
        return s;
    }

    static void forward(float[] x, int xOff, int rows, int cols, float eps, float[] gamma, float[] beta,
                        float[] y, float[] mean, float[] rstd) {
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = xOff + r * cols, row = r * cols;
            float m = sum(x, base, cols) / cols;
            float rs = (float) (1 / Math.sqrt(centeredSquares(x, base, cols, m) / cols + eps));
            mean[r] = m;
            rstd[r] = rs;
            int c = 0;
            for (; c < bound; c += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, base + c).sub(m).mul(rs);
                if (gamma != null) {
                    v = v.mul(FloatVector.fromArray(S, gamma, c));
                }
                if (beta != null) {
                    v = v.add(FloatVector.fromArray(S, beta, c));
                }
                v.intoArray(y, row + c);
            }
            for (; c < cols; c++) {
                float v = (x[base + c] - m) * rs;
                y[row + c] = (gamma == null ? v : v * gamma[c]) + (beta == null ? 0f : beta[c]);
            }
        }
    }

    static void backward(float[] gy, float[] x, int xOff, int rows, int cols, float[] mean, float[] rstd,
                         float[] gamma, float[] gx, float[] gGamma, float[] gBeta) {
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = xOff + r * cols, row = r * cols;
            float m = mean[r], rs = rstd[r];
            FloatVector accG = FloatVector.zero(S), accGX = FloatVector.zero(S);
            int c = 0;
            for (; c < bound; c += S.length()) {
                FloatVector xh = FloatVector.fromArray(S, x, base + c).sub(m).mul(rs);
                FloatVector dy = FloatVector.fromArray(S, gy, row + c);
                FloatVector g = gamma == null ? dy : dy.mul(FloatVector.fromArray(S, gamma, c));
                accG = accG.add(g);
                accGX = g.fma(xh, accGX);
                if (gGamma != null) {
                    dy.fma(xh, FloatVector.fromArray(S, gGamma, c)).intoArray(gGamma, c);
                }
                if (gBeta != null) {
                    dy.add(FloatVector.fromArray(S, gBeta, c)).intoArray(gBeta, c);
                }
            }
            float sumG = accG.reduceLanes(VectorOperators.ADD), sumGX = accGX.reduceLanes(VectorOperators.ADD);
            for (; c < cols; c++) {
                float xh = (x[base + c] - m) * rs, g = gamma == null ? gy[row + c] : gy[row + c] * gamma[c];
                sumG += g;
                sumGX += g * xh;
                if (gGamma != null) {
                    gGamma[c] += gy[row + c] * xh;
                }
                if (gBeta != null) {
                    gBeta[c] += gy[row + c];
                }
            }
            if (gx == null) {
                continue;
            }
            float meanG = sumG / cols, meanGX = sumGX / cols;
            c = 0;
            for (; c < bound; c += S.length()) {
                FloatVector xh = FloatVector.fromArray(S, x, base + c).sub(m).mul(rs);
                FloatVector dy = FloatVector.fromArray(S, gy, row + c);
                FloatVector g = gamma == null ? dy : dy.mul(FloatVector.fromArray(S, gamma, c));
                g.sub(meanG).sub(xh.mul(meanGX)).mul(rs).intoArray(gx, row + c);
            }
            for (; c < cols; c++) {
                float xh = (x[base + c] - m) * rs, g = gamma == null ? gy[row + c] : gy[row + c] * gamma[c];
                gx[row + c] = rs * (g - meanG - xh * meanGX);
            }
        }
    }
}
