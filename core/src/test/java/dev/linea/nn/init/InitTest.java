package dev.linea.nn.init;

import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.nn.Linear;
import dev.linea.nn.Parameter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Statistics of the initialisers on large tensors (sample sizes ≥ 65536, so the standard error of the mean
 * is below 0.004·σ; tolerances are 5 standard errors or more), orthogonality, seeds and errors.
 */
class InitTest {

    static double[] meanStd(Tensor t) {
        float[] v = t.toFloatArray();
        double s = 0, ss = 0;
        for (float x : v) {
            s += x;
        }
        double mean = s / v.length;
        for (float x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(ss / (v.length - 1))};
    }

    static double min(Tensor t) {
        double m = Double.POSITIVE_INFINITY;
        for (float x : t.toFloatArray()) {
            m = Math.min(m, x);
        }
        return m;
    }

    static double max(Tensor t) {
        double m = Double.NEGATIVE_INFINITY;
        for (float x : t.toFloatArray()) {
            m = Math.max(m, x);
        }
        return m;
    }

    @Test
    void uniformHasTheRightMeanStdAndBounds() {
        Tensor t = Init.uniform_(Tensor.zeros(256, 256), -1, 3, new Generator(1));
        double[] ms = meanStd(t);
        assertEquals(1.0, ms[0], 0.02);
        assertEquals(4 / Math.sqrt(12), ms[1], 0.02);
        assertTrue(min(t) >= -1 && max(t) <= 3);
    }

    /** PyTorch's float path: one {@code nextFloat()} per element, {@code u·(to − from) + from} in float. */
    @Test
    void uniformIsComputedInFloatFromOneDrawPerElement() {
        Tensor t = Init.uniform_(Tensor.zeros(3, 5), -0.3, 0.7, new Generator(8));
        Generator gen = new Generator(8);
        float from = -0.3f, to = 0.7f;
        float[] v = t.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            float expected = gen.nextFloat() * (to - from) + from;
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(v[i]), "element " + i);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Init.uniform_(Tensor.zeros(2), -3e38, 3e38));
        assertTrue(e.getMessage().contains("float range") && e.getMessage().contains("3.0E38"), e.getMessage());
        var order = assertThrows(IllegalArgumentException.class, () -> Init.uniform_(Tensor.zeros(2), 1, 0));
        assertTrue(order.getMessage().contains("a=1.0, b=0.0"), order.getMessage());
    }

    @Test
    void normalHasTheRightMeanAndStd() {
        double[] ms = meanStd(Init.normal_(Tensor.zeros(256, 256), 2, 0.5, new Generator(2)));
        assertEquals(2.0, ms[0], 0.01);
        assertEquals(0.5, ms[1], 0.01);
    }

    @Test
    void constantZerosAndOnesFillEveryElement() {
        assertArrayEquals(new float[] {2.5f, 2.5f}, Init.constant_(Tensor.zeros(2), 2.5).toFloatArray());
        assertArrayEquals(new float[] {0f, 0f}, Init.zeros_(Tensor.ones(2)).toFloatArray());
        assertArrayEquals(new float[] {1f, 1f}, Init.ones_(Tensor.zeros(2)).toFloatArray());
    }

    @Test
    void xavierUsesBothFans() {
        Tensor w = Tensor.zeros(300, 500);
        Init.xavierUniform_(w, 2.0, new Generator(3));
        double bound = 2.0 * Math.sqrt(6.0 / 800);
        assertTrue(max(w) <= bound && min(w) >= -bound && max(w) > 0.99 * bound);
        assertEquals(2.0 * Math.sqrt(2.0 / 800), meanStd(w)[1], 0.002);
        Init.xavierNormal_(w, 1.0, new Generator(3));
        assertEquals(Math.sqrt(2.0 / 800), meanStd(w)[1], 0.001);
    }

    @Test
    void kaimingScalesByTheChosenFanAndGain() {
        Tensor conv = Tensor.zeros(64, 32, 3, 3);
        assertEquals(new Init.Fans(32 * 9, 64 * 9), Init.calculateFanInAndFanOut(conv));
        Init.kaimingNormal_(conv, 0, Init.FanMode.FAN_OUT, "relu", new Generator(4));
        double[] ms = meanStd(conv);
        assertEquals(0, ms[0], 0.002);
        assertEquals(Math.sqrt(2.0) / Math.sqrt(64 * 9), ms[1], 0.001);
        Init.kaimingUniform_(conv, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", new Generator(4));
        double bound = 1 / Math.sqrt(32 * 9); // √3·√(2/(1+5))/√fan_in: Linear's default
        assertTrue(max(conv) <= bound && min(conv) >= -bound && max(conv) > 0.99 * bound);
    }

    @Test
    void calculateGainMatchesPyTorch() {
        assertEquals(1.0, Init.calculateGain("linear"));
        assertEquals(1.0, Init.calculateGain("sigmoid"));
        assertEquals(5.0 / 3, Init.calculateGain("tanh"));
        assertEquals(Math.sqrt(2), Init.calculateGain("relu"));
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.calculateGain("leaky_relu"));
        assertEquals(Math.sqrt(2 / 1.04), Init.calculateGain("leaky_relu", 0.2));
        var e = assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish"));
        assertTrue(e.getMessage().contains("swish"));
    }

    @Test
    void truncNormalStaysInBoundsWithTheTruncatedMoments() {
        Tensor t = Init.truncNormal_(Tensor.zeros(256, 256), 0, 1, -2, 2, new Generator(5));
        double[] ms = meanStd(t);
        assertTrue(min(t) >= -2 && max(t) <= 2);
        assertEquals(0, ms[0], 0.02);
        assertEquals(0.8796, ms[1], 0.01); // √(1 - 2·2φ(2)/(Φ(2) - Φ(-2)))
    }

    @Test
    void truncNormalSamplesAFarTailAccurately() {
        Tensor t = Init.truncNormal_(Tensor.zeros(65536), 1, 2, 7, 9, new Generator(6));
        assertTrue(min(t) >= 7 && max(t) <= 9);
        // standardised [3, 4]: E = (φ(3) - φ(4))/(Φ(4) - Φ(3)) = 3.2606
        assertEquals(1 + 2 * 3.2606, meanStd(t)[0], 0.01);
    }

    @Test
    void orthogonalGivesOrthonormalColumnsOrRows() {
        for (int[] shape : new int[][] {{50, 20}, {20, 50}, {16, 4, 2, 2}}) {
            Tensor w = Init.orthogonal_(Tensor.zeros(shape), 1.5, new Generator(7));
            Tensor m = w.reshape(shape[0], -1);
            Tensor gram = m.size(0) >= m.size(1) ? m.t().matmul(m) : m.matmul(m.t());
            int n = gram.size(0);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(i == j ? 2.25 : 0, gram.get(i, j), 1e-5, java.util.Arrays.toString(shape));
                }
            }
        }
    }

    @Test
    void sameSeedGivesTheSameWeights() {
        Tensor a = Init.kaimingUniform_(Tensor.zeros(10, 10), 0, Init.FanMode.FAN_IN, "relu", new Generator(42));
        Tensor b = Init.kaimingUniform_(Tensor.zeros(10, 10), 0, Init.FanMode.FAN_IN, "relu", new Generator(42));
        assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f);
        Tensor c = Init.orthogonal_(Tensor.zeros(6, 4), 1, new Generator(42));
        Tensor d = Init.orthogonal_(Tensor.zeros(6, 4), 1, new Generator(42));
        assertArrayEquals(c.toFloatArray(), d.toFloatArray(), 0f);
        Generator.global().manualSeed(9);
        Tensor e = Init.xavierNormal_(Tensor.zeros(5, 5));
        Generator.global().manualSeed(9);
        assertArrayEquals(e.toFloatArray(), Init.xavierNormal_(Tensor.zeros(5, 5)).toFloatArray(), 0f);
    }

    @Test
    void initialisesAParameterInPlaceOutsideAutograd() {
        Linear fc = new Linear(8, 4);
        Parameter w = fc.weight;
        assertSame(w, Init.zeros_(w));
        assertArrayEquals(new float[32], w.toFloatArray());
        assertTrue(w.requiresGrad() && w.isLeaf());
        Init.xavierUniform_(w);
        assertFalse(w.toFloatArray()[0] == 0f && w.toFloatArray()[1] == 0f);
    }

    @Test
    void fillsANonContiguousView() {
        Tensor base = Tensor.zeros(3, 4);
        Init.constant_(base.t(), 7);
        assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7}, base.toFloatArray());
        Tensor col = base.slice(1, 0, 1);
        Init.zeros_(col);
        assertEquals(0f, base.get(2, 0));
        assertEquals(7f, base.get(2, 1));
    }

    @Test
    void fanComputationOfA1dTensorNamesTheShape() {
        var e = assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform_(Tensor.zeros(5)));
        assertTrue(e.getMessage().contains("fewer than 2 dimensions") && e.getMessage().contains("[5]"), e.getMessage());
        var o = assertThrows(IllegalArgumentException.class, () -> Init.orthogonal_(Tensor.zeros(5)));
        assertTrue(o.getMessage().contains("[5]"), o.getMessage());
    }
}
