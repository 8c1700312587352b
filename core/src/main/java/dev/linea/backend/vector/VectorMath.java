package dev.linea.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * exp, log and tanh for float lanes built from plain IEEE operations (Cephes' single-precision
 * polynomials), each with a scalar twin that performs the very same operations.
 *
 * <p>Why not the JDK's {@code VectorOperators.EXP}: its compiled form (SVML) and its interpreted
 * fallback ({@code Math.exp}) may differ by an ulp, so a result would depend on whether the JIT had
 * compiled the loop yet — a resumed training run would drift from an uninterrupted one. Additions and
 * multiplications round the same everywhere, so these functions give identical bits in the interpreter,
 * in compiled code, in any lane and in the scalar tail. Accuracy: within 2 ulp of the exact result over
 * the float range (exp: subnormal results included; log: subnormal inputs included).
 */
final class VectorMath {
    private VectorMath() {}

    private static final float EXP_HI = 88.7228394f, EXP_LO = -103.972084f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
    /** 1.5·2^23: adding it to |t| < 2^22 rounds t to the nearest integer n, held in the low bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);

    /** e^x for every lane. */
    static FloatVector exp(FloatVector x) {
        // Clamp so the scale factors stay finite; beyond the bounds the result is 0 or +inf anyway. Compare
        // and blend, not max/min: Java's max/min order NaN and ±0 in extra steps (exp was 0.76 against
        // 0.60 ns a lane, AMD EPYC 512-bit); the bounds are not 0 and a NaN lane is replaced at the end.
        FloatVector xc = x.blend(EXP_LO - 1f, x.compare(VectorOperators.LT, EXP_LO - 1f));
        xc = xc.blend(EXP_HI + 1f, xc.compare(VectorOperators.GT, EXP_HI + 1f));
        // n = round(x·log2 e) by adding 1.5·2^23: the sum rounds to an integer whose low bits are n, so
        // neither a float-to-int conversion (Java's saturating one costs fix-ups) nor a floor is needed —
        // exp went from 0.60 to 0.37 ns a lane (AMD EPYC, 512-bit).
        FloatVector tm = xc.mul(LOG2E).add(ROUNDER);
        FloatVector fn = tm.sub(ROUNDER);
        FloatVector r = xc.sub(fn.mul(LN2_HI)).sub(fn.mul(LN2_LO));
        FloatVector r2 = r.mul(r);
        FloatVector y = r.mul(P0).add(P1).mul(r).add(P2).mul(r).add(P3).mul(r).add(P4).mul(r).add(P5)
                .mul(r2).add(r).add(1f);
        // 2^n as two factors 2^(n/2)·2^(n-n/2), each a normal float, so subnormal results round once.
        IntVector n = tm.reinterpretAsInts().sub(ROUNDER_BITS);
        IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = n.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector result = y.mul(s1).mul(s2);
        return result.blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** The scalar twin of {@link #exp(FloatVector)}: the same operations, the same bits. */
    static float exp(float x) {
        if (Float.isNaN(x)) {
            return x;
        }
        float xc = Math.min(Math.max(x, EXP_LO - 1f), EXP_HI + 1f);
        float tm = xc * LOG2E + ROUNDER;
        float fn = tm - ROUNDER;
        float r = xc - fn * LN2_HI - fn * LN2_LO;
        float r2 = r * r;
        float y = ((((((r * P0 + P1) * r + P2) * r + P3) * r + P4) * r + P5) * r2 + r) + 1f;
        int n = Float.floatToRawIntBits(tm) - ROUNDER_BITS;
        int n1 = n >> 1, n2 = n - n1;
        return y * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
    }

    private static final float SQRTHF = 0.707106781186547524f;
    private static final float[] LOG_P = {7.0376836292e-2f, -1.1514610310e-1f, 1.1676998740e-1f,
            -1.2420140846e-1f, 1.4249322787e-1f, -1.6668057665e-1f, 2.0000714765e-1f,
            -2.4999993993e-1f, 3.3333331174e-1f};

    /** Natural logarithm for every lane: NaN below 0, -inf at 0, +inf at +inf. */
    static FloatVector log(FloatVector x) {
        // Subnormals: scale into the normal range first and correct the exponent.
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(8388608f), tiny); // 2^23
        IntVector bits = xs.reinterpretAsInts();
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(126);
        e = e.sub(e.broadcast(23).blend(0, tiny.cast(e.species()).not()));
        FloatVector m = bits.and(0x807fffff).or(0x3f000000).reinterpretAsFloats(); // [0.5, 1)
        VectorMask<Float> small = m.compare(VectorOperators.LT, SQRTHF);
        FloatVector fe = ((FloatVector) e.convert(VectorOperators.I2F, 0)).sub(m.broadcast(1f).blend(0f, small.not()));
        m = m.add(m.blend(0f, small.not())).sub(1f);
        FloatVector z = m.mul(m);
        FloatVector p = m.broadcast(LOG_P[0]);
        for (int i = 1; i < LOG_P.length; i++) {
            p = p.mul(m).add(LOG_P[i]);
        }
        FloatVector y = p.mul(m).mul(z);
        y = y.add(fe.mul(LN2_LO));
        y = y.sub(z.mul(0.5f));
        FloatVector result = m.add(y).add(fe.mul(LN2_HI));
        // Special values, as Math.log.
        result = result.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        result = result.blend(Float.NaN, x.compare(VectorOperators.LT, 0f).or(x.test(VectorOperators.IS_NAN)));
        return result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
    }

    /** The scalar twin of {@link #log(FloatVector)}. */
    static float log(float x) {
        if (Float.isNaN(x) || x < 0f) {
            return Float.NaN;
        }
        if (x == 0f) {
            return Float.NEGATIVE_INFINITY;
        }
        if (x == Float.POSITIVE_INFINITY) {
            return x;
        }
        boolean tiny = x < Float.MIN_NORMAL;
        float xs = tiny ? x * 8388608f : x;
        int bits = Float.floatToRawIntBits(xs);
        int e = ((bits >>> 23) & 0xff) - 126 - (tiny ? 23 : 0);
        float m = Float.intBitsToFloat((bits & 0x807fffff) | 0x3f000000);
        boolean small = m < SQRTHF;
        float fe = (float) e - (small ? 1f : 0f);
        m = m + (small ? m : 0f) - 1f;
        float z = m * m;
        float p = LOG_P[0];
        for (int i = 1; i < LOG_P.length; i++) {
            p = p * m + LOG_P[i];
        }
        float y = p * m * z;
        y = y + fe * LN2_LO;
        y = y - z * 0.5f;
        return m + y + fe * LN2_HI;
    }

    /**
     * σ(x) = 1/(1+e) for x ≥ 0 and e/(1+e) for x < 0, with e = exp(−|x|) (never overflows), as e·(1/(1+e)):
     * one division, not two (a few ulps of the exact value either way); NaN stays NaN.
     */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector r = x.broadcast(1f).div(e.add(1f));
        return e.mul(r).blend(r, x.compare(VectorOperators.GE, 0f)); // a NaN lane: e·r is NaN
    }

    /** The scalar twin of {@link #sigmoid(FloatVector)}. */
    static float sigmoid(float x) {
        float e = exp(-Math.abs(x)); // NaN stays NaN: e·r below
        float r = 1f / (e + 1f);
        return x >= 0f ? r : e * r;
    }

    private static final float TANH_SMALL = 0.625f;
    private static final float[] TANH_P = {-5.70498872745e-3f, 2.06390887954e-2f, -5.37397155531e-2f,
            1.33314422036e-1f, -3.33332819422e-1f};

    /** Hyperbolic tangent: a polynomial near 0, {@code 1 - 2/(e^{2|x|}+1)} with the sign elsewhere. */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = x.broadcast(TANH_P[0]);
        for (int i = 1; i < TANH_P.length; i++) {
            p = p.mul(z).add(TANH_P[i]);
        }
        FloatVector near = p.mul(z).mul(x).add(x);
        FloatVector far = x.broadcast(1f).sub(x.broadcast(2f).div(exp(ax.mul(2f)).add(1f)));
        far = far.blend(far.neg(), x.compare(VectorOperators.LT, 0f));
        return far.blend(near, ax.compare(VectorOperators.LT, TANH_SMALL)).blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** The scalar twin of {@link #tanh(FloatVector)}. */
    static float tanh(float x) {
        if (Float.isNaN(x)) {
            return x;
        }
        float ax = Math.abs(x);
        if (ax < TANH_SMALL) {
            float z = x * x;
            float p = TANH_P[0];
            for (int i = 1; i < TANH_P.length; i++) {
                p = p * z + TANH_P[i];
            }
            return p * z * x + x;
        }
        float far = 1f - 2f / (exp(ax * 2f) + 1f);
        return x < 0f ? -far : far;
    }
}
