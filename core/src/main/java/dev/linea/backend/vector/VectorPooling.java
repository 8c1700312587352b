package dev.linea.backend.vector;

import dev.linea.backend.Im2col;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling on the Vector API, bitwise equal to {@link dev.linea.backend.ScalarBackend#maxPool2d} (values and
 * indices): the same taps are compared in the same order, with compares and blends instead of branches.
 * <ul>
 *   <li>2×2 windows at stride 2 (the common case): per output row, up to {@code L} windows at a time; the two
 *       input rows are loaded as vectors and split into their even and odd columns (a two-vector select),
 *       giving the four taps of each window in lanes. Measured on W4's two pooling layers (batch 64, 1 thread,
 *       AVX-512): 7.2 ms per batch with scalar code (C2 compiles its selects to branches), 1.7 ms with gathers
 *       through a table of window offsets, 0.85 ms this way; with AVX2 the gathers and this are about even
 *       (1.4 and 1.6 ms).
 *   <li>Any other window: up to {@code L} windows of an output row at a time, one (masked) load or gather per
 *       tap. Measured on 3×3 windows, stride 2, padding 1 over (64, 32, 26, 26) (1 thread): 15 ms with
 *       branches, 4.6 ms here (PyTorch 1.13: 9.2 ms).
 * </ul>
 */
final class VectorPooling {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final int L = S.length();
    /** Each lane's index, and twice it. */
    private static final IntVector LANE = IntVector.zero(I).addIndex(1), TWICE = LANE.mul(2);
    /** Lane selectors over a pair of vectors: their even and their odd elements. */
    private static final FloatVector EVEN = (FloatVector) TWICE.convert(VectorOperators.I2F, 0),
            ODD = (FloatVector) TWICE.add(1).convert(VectorOperators.I2F, 0);

    private VectorPooling() {}

    static void maxPool2d(Im2col.Geometry g, float[] x, int xOff, int from, int to, float[] y, int yOff, int[] arg) {
        boolean twoByTwo = g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && g.ph() == 0 && g.pw() == 0
                && g.dh() == 1 && g.dw() == 1 && g.outH() == g.height() / 2 && g.outW() == g.width() / 2;
        if (twoByTwo) {
            maxPool2x2(x, xOff, g.height(), g.width(), from, to, y, yOff, arg);
        } else {
            windows(g, x, xOff, from, to, y, yOff, arg);
        }
    }

    /** Any window geometry: up to L windows of one output row per step, one load or gather per tap. */
    private static void windows(Im2col.Geometry g, float[] x, int xOff, int from, int to, float[] y, int yOff,
                                int[] arg) {
        final int H = g.height(), W = g.width(), OH = g.outH(), OW = g.outW(), sw = g.sw(), pw = g.pw();
        // The first tap's column of window j, less the padding, is j·sw: the gathers' index map (from j0).
        int[] cols = new int[OW + L];
        for (int j = 0; j < cols.length; j++) {
            cols[j] = j * sw;
        }
        FloatVector none = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        IntVector noIndex = IntVector.broadcast(I, -1);
        for (int pl = from; pl < to; pl++) {
            for (int i = 0; i < OH; i++) {
                int q0 = yOff + (pl * OH + i) * OW;
                for (int j0 = 0; j0 < OW; j0 += L) {
                    VectorMask<Integer> live = I.indexInRange(0, Math.min(L, OW - j0));
                    IntVector iw0 = LANE.add(j0).mul(sw).sub(pw);
                    FloatVector best = none;
                    IntVector at = noIndex;
                    VectorMask<Float> seen = S.maskAll(false);
                    for (int a = 0; a < g.kh(); a++) {
                        int ih = i * g.sh() - g.ph() + a * g.dh();
                        if (ih < 0 || ih >= H) {
                            continue;
                        }
                        int row = (pl * H + ih) * W;
                        for (int b = 0; b < g.kw(); b++) {
                            IntVector iw = iw0.add(b * g.dw());
                            VectorMask<Integer> insideI = live.and(iw.compare(VectorOperators.GE, 0))
                                    .and(iw.compare(VectorOperators.LT, W));
                            VectorMask<Float> inside = insideI.cast(S);
                            int first = xOff + row - pw + b * g.dw(); // element of lane 0's tap, less j0·sw
                            FloatVector v = sw == 1 ? FloatVector.fromArray(S, x, first + j0, inside)
                                    : gather(x, first, cols, j0, inside);
                            // The window's first tap inside, a greater value, or a NaN takes over.
                            VectorMask<Float> take = inside.and(seen.not().or(v.compare(VectorOperators.GT, best))
                                    .or(v.compare(VectorOperators.NE, v)));
                            best = best.blend(v, take);
                            at = at.blend(iw.add(row), take.cast(I));
                            seen = seen.or(inside);
                        }
                    }
                    best.intoArray(y, q0 + j0, live.cast(S));
                    at.intoArray(arg, q0 + j0, live);
                }
            }
        }
    }

    /**
     * {@code x[first + cols[j0 + t]]} in the lanes t of {@code m}, 0 elsewhere. The JDK checks every lane's
     * index of a masked gather, set or not, so lanes that would fall outside the array (near its ends) are
     * read one by one instead.
     */
    private static FloatVector gather(float[] x, int first, int[] cols, int j0, VectorMask<Float> m) {
        if (first + cols[j0] >= 0 && first + cols[j0 + L - 1] < x.length) {
            return FloatVector.fromArray(S, x, first, cols, j0, m);
        }
        float[] lanes = new float[L];
        for (int t = 0; t < L; t++) {
            if (m.laneIsSet(t)) {
                lanes[t] = x[first + cols[j0 + t]];
            }
        }
        return FloatVector.fromArray(S, lanes, 0);
    }

    private static void maxPool2x2(float[] x, int xOff, int h, int w, int from, int to, float[] y, int yOff, int[] arg) {
        int oh = h / 2, ow = w / 2;
        for (int pl = from; pl < to; pl++) {
            for (int i = 0; i < oh; i++) {
                int r0 = pl * h * w + 2 * i * w, q0 = yOff + pl * oh * ow + i * ow;
                for (int j0 = 0; j0 < ow; j0 += L) {
                    int n = Math.min(L, ow - j0); // windows in this step: 2n input columns per row
                    VectorMask<Float> lo = S.indexInRange(0, 2 * n), hi = S.indexInRange(L, 2 * n);
                    int p0 = r0 + 2 * j0, s0 = xOff + p0, s1 = s0 + w;
                    FloatVector t0 = FloatVector.fromArray(S, x, s0, lo), t1 = FloatVector.fromArray(S, x, s0 + L, hi);
                    FloatVector b0 = FloatVector.fromArray(S, x, s1, lo), b1 = FloatVector.fromArray(S, x, s1 + L, hi);
                    FloatVector a = EVEN.selectFrom(t0, t1), b = ODD.selectFrom(t0, t1);
                    FloatVector c = EVEN.selectFrom(b0, b1), d = ODD.selectFrom(b0, b1);
                    // Without NaNs the rule is "the first maximum": one compare per pair. A NaN among the taps
                    // (a NaN sum; ∞ − ∞ too, harmlessly) sends this step to the tap-by-tap rule. Folding the
                    // NaN case into the compares (an or of masks per pair) measured twice as slow.
                    FloatVector sum = a.add(b).add(c).add(d);
                    if (sum.compare(VectorOperators.NE, sum).anyTrue()) {
                        for (int j = j0; j < j0 + n; j++) {
                            window2x2(x, xOff, r0 + 2 * j, w, y, arg, q0 + j);
                        }
                        continue;
                    }
                    IntVector at = TWICE.add(p0);
                    // Top pair, bottom pair, then the two winners: the same winner as tap by tap.
                    VectorMask<Float> tb = b.compare(VectorOperators.GT, a);
                    FloatVector top = a.blend(b, tb);
                    IntVector atTop = at.blend(at.add(1), tb.cast(I));
                    VectorMask<Float> td = d.compare(VectorOperators.GT, c);
                    FloatVector bottom = c.blend(d, td);
                    IntVector atBottom = at.add(w).blend(at.add(w + 1), td.cast(I));
                    VectorMask<Float> tw = bottom.compare(VectorOperators.GT, top);
                    VectorMask<Float> out = S.indexInRange(0, n);
                    top.blend(bottom, tw).intoArray(y, q0 + j0, out);
                    atTop.blend(atBottom, tw.cast(I)).intoArray(arg, q0 + j0, out.cast(I));
                }
            }
        }
    }

    /** The window whose top-left tap is {@code x[xOff + p0]}, tap by tap: the first maximum, or the last NaN. */
    private static void window2x2(float[] x, int xOff, int p0, int w, float[] y, int[] arg, int q) {
        int at = p0;
        for (int pos : new int[] {p0 + 1, p0 + w, p0 + w + 1}) {
            float v = x[xOff + pos];
            if (v > x[xOff + at] || v != v) {
                at = pos;
            }
        }
        y[q] = x[xOff + at];
        arg[q] = at;
    }
}
