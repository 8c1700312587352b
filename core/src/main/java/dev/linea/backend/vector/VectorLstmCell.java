package dev.linea.backend.vector;

import dev.linea.backend.ScalarBackend;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The LSTM cell's pointwise forward and backward on the Vector API, the twin of
 * {@code ScalarBackend.lstmCellRows} and its backward: the same formulas lane by lane (no FMA contraction),
 * with σ and tanh from {@link VectorMath} as the vector backend's own {@code SIGMOID} and {@code TANH}, so
 * the fused cell gives the same bits as the unfused composition on this backend.
 */
final class VectorLstmCell {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorLstmCell() {}

    /**
     * Two passes per row: the four gates' activations into {@code act}, then the state update from them.
     * One loop holding all five σ/tanh (each an inlined exp) was 40 µs for 32×128 units against 29 µs in
     * two passes (AMD EPYC, 512-bit; 21 µs with this round's exp and sigmoid): C2 stopped inlining part of it
     * and boxed those vectors. One sigmoid pass over the whole (N, 4H) block instead of per row was no faster.
     */
    static void forward(float[] xw, int xwOff, float[] hw, int hwOff, float[] c, int cOff, int rows, int hidden,
                        float[] act, float[] tanhC, float[] hc) {
        int g4 = 4 * hidden, bound = S.loopBound(hidden);
        for (int r = 0; r < rows; r++) {
            int zr = r * g4, hr = r * hidden, x0 = xwOff + zr, h0 = hwOff + zr;
            for (int gate = 0; gate < 4; gate++) {
                int q = gate * hidden;
                if (gate == 2) {
                    tanhGate(xw, x0 + q, hw, h0 + q, act, zr + q, bound);
                } else {
                    sigmoidGate(xw, x0 + q, hw, h0 + q, act, zr + q, bound);
                }
            }
            state(act, zr, hidden, c, cOff + hr, hc, rows * hidden + hr, hr, tanhC, hr, bound);
            for (int j = bound; j < hidden; j++) {
                float i = VectorMath.sigmoid(xw[x0 + j] + hw[h0 + j]);
                float f = VectorMath.sigmoid(xw[x0 + hidden + j] + hw[h0 + hidden + j]);
                float g = VectorMath.tanh(xw[x0 + 2 * hidden + j] + hw[h0 + 2 * hidden + j]);
                float o = VectorMath.sigmoid(xw[x0 + 3 * hidden + j] + hw[h0 + 3 * hidden + j]);
                float cn = f * c[cOff + hr + j] + i * g;
                float tc = VectorMath.tanh(cn);
                act[zr + j] = i;
                act[zr + hidden + j] = f;
                act[zr + 2 * hidden + j] = g;
                act[zr + 3 * hidden + j] = o;
                hc[rows * hidden + hr + j] = cn;
                tanhC[hr + j] = tc;
                hc[hr + j] = o * tc;
            }
        }
    }

    /**
     * The state update of one row for {@code j < bound}, from the gates' activations (i, f, g, o at {@code act[z +
     * k·hidden + j]}): {@code c' = f·c + i·g} into {@code hc[cn + j]}, {@code tanh(c')} into {@code tanhC[t + j]},
     * {@code h' = o·tanh(c')} into {@code hc[hn + j]}. A method of its own, as the gates are: inside
     * {@link #forward} C2 ran out of inlining budget before this tanh and ran it on the Vector API's Java
     * fallback (5.5 % of a W7 profile's samples in its Java frames, Intel Xeon; W7 with this and the GEMM
     * change of the same round: 84-89 → 103-110 steps/s).
     */
    private static void state(float[] act, int z, int hidden, float[] c, int co, float[] hc, int cn, int hn,
                              float[] tanhC, int t, int bound) {
        for (int j = 0; j < bound; j += S.length()) {
            FloatVector i = FloatVector.fromArray(S, act, z + j), f = FloatVector.fromArray(S, act, z + hidden + j);
            FloatVector g = FloatVector.fromArray(S, act, z + 2 * hidden + j);
            FloatVector o = FloatVector.fromArray(S, act, z + 3 * hidden + j);
            FloatVector cNew = f.mul(FloatVector.fromArray(S, c, co + j)).add(i.mul(g));
            FloatVector tc = VectorMath.tanh(cNew);
            cNew.intoArray(hc, cn + j);
            tc.intoArray(tanhC, t + j);
            o.mul(tc).intoArray(hc, hn + j);
        }
    }

    /** {@code out[o + j] = σ(x[xo + j] + h[ho + j])} for {@code j < bound}. */
    private static void sigmoidGate(float[] x, int xo, float[] h, int ho, float[] out, int o, int bound) {
        for (int j = 0; j < bound; j += S.length()) {
            VectorMath.sigmoid(FloatVector.fromArray(S, x, xo + j).add(FloatVector.fromArray(S, h, ho + j))).intoArray(out, o + j);
        }
    }

    /** {@code out[o + j] = tanh(x[xo + j] + h[ho + j])} for {@code j < bound}. */
    private static void tanhGate(float[] x, int xo, float[] h, int ho, float[] out, int o, int bound) {
        for (int j = 0; j < bound; j += S.length()) {
            VectorMath.tanh(FloatVector.fromArray(S, x, xo + j).add(FloatVector.fromArray(S, h, ho + j))).intoArray(out, o + j);
        }
    }

    static void backward(float[] gh, int ghOff, float[] gc, int gcOff, float[] act, float[] tanhC, float[] c, int cOff,
                         int rows, int hidden, float[] gz, float[] gcPrev) {
        int g4 = 4 * hidden, bound = S.loopBound(hidden);
        for (int r = 0; r < rows; r++) {
            int zr = r * g4, hr = r * hidden;
            int j = 0;
            for (; j < bound; j += S.length()) {
                FloatVector i = FloatVector.fromArray(S, act, zr + j), f = FloatVector.fromArray(S, act, zr + hidden + j);
                FloatVector g = FloatVector.fromArray(S, act, zr + 2 * hidden + j);
                FloatVector o = FloatVector.fromArray(S, act, zr + 3 * hidden + j);
                FloatVector tc = FloatVector.fromArray(S, tanhC, hr + j), dh = FloatVector.fromArray(S, gh, ghOff + hr + j);
                FloatVector one = tc.broadcast(1f);
                FloatVector dc = dh.mul(o).mul(one.sub(tc.mul(tc)));
                dc = (gc == null ? tc.broadcast(0f) : FloatVector.fromArray(S, gc, gcOff + hr + j)).add(dc);
                dc.mul(g).mul(i.mul(one.sub(i))).intoArray(gz, zr + j);
                dc.mul(FloatVector.fromArray(S, c, cOff + hr + j)).mul(f.mul(one.sub(f))).intoArray(gz, zr + hidden + j);
                dc.mul(i).mul(one.sub(g.mul(g))).intoArray(gz, zr + 2 * hidden + j);
                dh.mul(tc).mul(o.mul(one.sub(o))).intoArray(gz, zr + 3 * hidden + j);
                if (gcPrev != null) {
                    dc.mul(f).intoArray(gcPrev, hr + j);
                }
            }
            ScalarBackend.lstmCellBackwardRow(gh, ghOff, gc, gcOff, act, tanhC, c, cOff, r, hidden, j, gz, gcPrev);
        }
    }
}
