package dev.linea.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorMathTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Inputs spread over the interesting range, plus special values and boundaries. */
    private static float[] inputs(float lo, float hi) {
        Random r = new Random(3);
        float[] x = new float[S.length() * 4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = lo + (hi - lo) * r.nextFloat();
        }
        float[] special = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, Float.MIN_NORMAL, 88.7f, 88.73f, -87.3f, -103.9f, -104f, 1e-8f, -1e-8f, 0.625f, -0.625f};
        System.arraycopy(special, 0, x, 0, special.length);
        return x;
    }

    private static void check(float[] x, UnaryOperator<FloatVector> vec, java.util.function.Function<Float, Float> scalar,
                              DoubleUnaryOperator exact, double maxUlps) {
        double worst = 0;
        for (int i = 0; i < x.length; i += S.length()) {
            float[] out = new float[S.length()];
            vec.apply(FloatVector.fromArray(S, x, i)).intoArray(out, 0);
            for (int j = 0; j < out.length; j++) {
                float xi = x[i + j];
                float twin = scalar.apply(xi);
                assertEquals(Float.floatToIntBits(twin), Float.floatToIntBits(out[j]),
                        () -> "lane and scalar twin differ at x=" + xi);
                float want = (float) exact.applyAsDouble(xi);
                if (Float.isNaN(want) || Float.isInfinite(want) || want == 0f) {
                    assertEquals(want, out[j], 0f, "x=" + xi);
                    continue;
                }
                double ulps = Math.abs(out[j] - (double) want) / Math.ulp(want);
                worst = Math.max(worst, ulps);
            }
        }
        assertTrue(worst <= maxUlps, "worst error " + worst + " ulp");
    }

    @Test
    void expIsWithinTwoUlpAndItsScalarTwinGivesTheSameBits() {
        check(inputs(-110f, 90f), VectorMath::exp, VectorMath::exp, Math::exp, 2);
    }

    @Test
    void expOfSmallArgumentsIsAccurate() {
        check(inputs(-1f, 1f), VectorMath::exp, VectorMath::exp, Math::exp, 2);
    }

    @Test
    void logIsWithinTwoUlpIncludingSubnormalInputs() {
        float[] x = inputs(0f, 1000f);
        for (int i = 20; i < 400; i++) {
            x[i] = Float.MIN_VALUE * i * 997; // subnormals
        }
        check(x, VectorMath::log, VectorMath::log, Math::log, 2);
    }

    @Test
    void logOfNegativeIsNaNAndOfZeroIsMinusInfinity() {
        assertTrue(Float.isNaN(VectorMath.log(-1f)));
        assertEquals(Float.NEGATIVE_INFINITY, VectorMath.log(0f));
        float[] out = new float[S.length()];
        VectorMath.log(FloatVector.broadcast(S, -2f)).intoArray(out, 0);
        assertTrue(Float.isNaN(out[0]));
    }

    @Test
    void tanhIsWithinThreeUlp() {
        check(inputs(-12f, 12f), VectorMath::tanh, VectorMath::tanh, Math::tanh, 3);
    }
}
