package dev.linea.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.linea.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * How far Linea's value may be from PyTorch's, element by element: {@code |actual - expected| <= bound},
 * where {@code bound} is {@code atol + rtol·|expected|} ({@link #allclose}, {@code torch.allclose}'s rule)
 * or {@code max(atol, rtol·|expected|)} ({@link #relative}: relative, with a floor near zero). Equal values
 * pass, infinities included, and so does NaN where PyTorch gives NaN.
 *
 * @param rtol the relative part
 * @param atol the absolute part (allclose) or the floor (relative)
 * @param additive whether the bound is the sum of the two parts rather than the larger one
 */
public record Tolerance(double rtol, double atol, boolean additive) {
    public Tolerance {
        if (!(rtol >= 0) || !(atol >= 0)) {
            throw new IllegalArgumentException("tolerances must be >= 0, got rtol=" + rtol + ", atol=" + atol);
        }
    }

    /** {@code |actual - expected| <= atol + rtol·|expected|}. */
    public static Tolerance allclose(double rtol, double atol) {
        return new Tolerance(rtol, atol, true);
    }

    /** {@code |actual - expected| <= max(atol, rtol·|expected|)}: {@code relative(t, t)} is {@code t·max(1, |expected|)}. */
    public static Tolerance relative(double rtol, double atol) {
        return new Tolerance(rtol, atol, false);
    }

    /** The largest allowed {@code |actual - expected|}. */
    public double bound(double expected) {
        double rel = rtol * Math.abs(expected);
        return additive ? atol + rel : Math.max(atol, rel);
    }

    /** Asserts equal shapes and every element within the tolerance; the message names the worst element. */
    public void assertClose(String what, Tensor expected, Tensor actual) {
        if (actual == null) {
            fail(what + ": expected a tensor of shape " + Arrays.toString(expected.shape()) + ", got null");
        }
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertClose(what, toDoubles(expected.toFloatArray()), toDoubles(actual.toFloatArray()));
    }

    /** Asserts equal lengths and every element within the tolerance; the message names the worst element. */
    public void assertClose(String what, double[] expected, double[] actual) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        int worst = -1;
        double worstExcess = 1;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (e == a || Double.isNaN(e) && Double.isNaN(a)) {
                continue;
            }
            double excess = Math.abs(a - e) / bound(e);   // NaN when only one side is NaN or infinite
            if (!(excess <= worstExcess)) {
                worstExcess = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(String.format(Locale.ROOT, "%s: element %d is %.9g, PyTorch gives %.9g (allowed difference %.3g: %s)",
                    what, worst, actual[worst], expected[worst], bound(expected[worst]), this));
        }
    }

    /** Asserts one value within the tolerance. */
    public void assertClose(String what, double expected, double actual) {
        assertClose(what, new double[] {expected}, new double[] {actual});
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, additive ? "atol %.3g + rtol %.3g·|expected|" : "max(%.3g, %.3g·|expected|)",
                atol, rtol);
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
