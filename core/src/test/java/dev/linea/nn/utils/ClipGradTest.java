package dev.linea.nn.utils;

import dev.linea.Tensor;
import dev.linea.golden.Golden;
import dev.linea.golden.Tolerance;
import dev.linea.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient clipping against PyTorch 1.13 ({@code scripts/golden/clip.py} → {@code golden/clip.txt}). PyTorch
 * computes the norms in float32 and Linea in double, so totals and clipped gradients are compared with a
 * relative tolerance of 1e-6 (plus 1e-12).
 */
class ClipGradTest {
    static final Tolerance TOL = Tolerance.allclose(1e-6, 1e-12);

    /** The gradients of clip.py, flattened, with their shapes. */
    static List<Parameter> params() {
        List<Parameter> ps = new ArrayList<>();
        ps.add(withGrad(new float[] {0.5f, -1.25f, 2.0f, 3.0f, -0.75f, 0.125f}, 2, 3));
        ps.add(withGrad(new float[] {4.0f, -2.5f}, 2));
        ps.add(withGrad(new float[] {0.3f, -0.6f, 0.9f, -1.2f, 1.5f, 0.0f, -0.1f, 0.2f}, 2, 2, 2));
        return ps;
    }

    static Parameter withGrad(float[] g, int... shape) {
        Parameter p = new Parameter(Tensor.zeros(shape));
        p.setGrad(Tensor.of(g, shape));
        return p;
    }

    @Test
    void clipGradNormAndValueMatchPyTorch() {
        Golden g = Golden.load("clip.txt");
        List<String> cases = g.cases(".grad0");
        assertEquals(7, cases.size(), "cases in clip.txt: " + cases);
        for (String c : cases) {
            List<Parameter> ps = params();
            if (g.has(c + ".clip_value")) {
                ClipGrad.clipGradValue(ps, g.value(c + ".clip_value"));
            } else {
                double total = ClipGrad.clipGradNorm(ps, g.value(c + ".max_norm"), g.value(c + ".norm_type"));
                TOL.assertClose(c + " total", g.value(c + ".total"), total);
            }
            for (int i = 0; i < ps.size(); i++) {
                Tensor grad = ps.get(i).grad();
                assertArrayEquals(g.shape(c + ".grad" + i), grad.shape(), c + " grad " + i + ": shape");
                double[] actual = new double[grad.numel()];
                float[] v = grad.toFloatArray();
                for (int j = 0; j < v.length; j++) {
                    actual[j] = v[j];
                }
                TOL.assertClose(c + " grad " + i, g.values(c + ".grad" + i), actual);
            }
        }
    }

    @Test
    void gradientsUnderTheMaxNormAreLeftBitForBit() {
        List<Parameter> ps = params();
        double total = ClipGrad.clipGradNorm(ps, 100);
        assertEquals(ClipGrad.gradNorm(params(), 2), total);
        assertArrayEquals(new float[] {4.0f, -2.5f}, ps.get(1).grad().toFloatArray(), 0f);
    }

    @Test
    void clippedGradientsHaveTheMaxNorm() {
        List<Parameter> ps = params();
        ClipGrad.clipGradNorm(ps, 1.5, 2);
        assertEquals(1.5, ClipGrad.gradNorm(ps, 2), 1e-5);
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        Parameter none = new Parameter(Tensor.zeros(2));
        assertEquals(0.0, ClipGrad.clipGradNorm(List.of(none), 1.0));
        List<Parameter> ps = new ArrayList<>(params());
        ps.add(none);
        TOL.assertClose("total with a grad-less parameter", 6.5299787521362305, ClipGrad.clipGradNorm(ps, 1.0));
    }

    @Test
    void nonFiniteNormIsReturnedAndGradientsLeftByDefault() {
        Parameter p = withGrad(new float[] {1f, Float.NaN, 2f}, 3);
        double total = ClipGrad.clipGradNorm(List.of(p), 1.0);
        assertTrue(Double.isNaN(total));
        assertEquals(1f, p.grad().toFloatArray()[0]);
        Parameter q = withGrad(new float[] {1f, Float.POSITIVE_INFINITY}, 2);
        assertEquals(Double.POSITIVE_INFINITY, ClipGrad.clipGradNorm(List.of(q), 1.0, Double.POSITIVE_INFINITY));
        assertEquals(1f, q.grad().toFloatArray()[0]);
    }

    @Test
    void nonFiniteNormThrowsNamingTheNormWhenAskedTo() {
        Parameter p = withGrad(new float[] {1f, Float.POSITIVE_INFINITY}, 2);
        var e = assertThrows(IllegalStateException.class, () -> ClipGrad.clipGradNorm(List.of(p), 1.0, 2.0, true));
        assertTrue(e.getMessage().contains("order 2.0") && e.getMessage().contains("Infinity"), e.getMessage());
        assertEquals(Float.POSITIVE_INFINITY, p.grad().toFloatArray()[1]);
    }

    @Test
    void clippingANonContiguousGradientWritesThroughTheView() {
        Parameter p = new Parameter(Tensor.zeros(2, 2));
        p.setGrad(Tensor.of(new float[] {3f, 0f, 4f, 0f}, 2, 2).t());
        ClipGrad.clipGradNorm(List.of(p), 1.0);
        assertArrayEquals(new float[] {0.6f, 0.8f, 0f, 0f}, p.grad().toFloatArray(), 1e-6f);
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(params(), -1));
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(params(), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradValue(params(), -0.5));
    }
}
