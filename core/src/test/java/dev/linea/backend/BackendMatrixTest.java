package dev.linea.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one test matrix for kernel implementations: every {@link Backend} (the scalar reference, and the
 * Vector API kernels when {@code jdk.incubator.vector} is present, instantiated directly) against
 * {@link ScalarBackend}, over sizes that hit empty ranges, vector bodies and every tail length, at nonzero
 * offsets.
 *
 * <p>Tolerances: ops built from IEEE arithmetic, compares and blends must be bitwise equal (NaN matches
 * any NaN); EXP/LOG/TANH/GELU within 2 ulps, SIGMOID within 4 ulps (the vector intrinsics measure ≤1 ulp);
 * reductions and softmax within stated relative errors, since their summation order may differ.
 */
class BackendMatrixTest {

    private static final int[] SIZES = {0, 1, 2, 7, 8, 15, 16, 17, 31, 33, 100, 1000, 4097};
    private static final ScalarBackend REF = new ScalarBackend();

    /** Every implementation, named by {@link Backend#name()} in the test report. */
    static Stream<Arguments> kernels() {
        return implementations().stream().map(k -> Arguments.of(Named.of(k.name(), k)));
    }

    static List<Backend> implementations() {
        List<Backend> list = new ArrayList<>();
        list.add(new ScalarBackend());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                list.add((Backend) Class.forName("dev.linea.backend.vector.VectorBackend")
                        .getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("jdk.incubator.vector is present but VectorBackend did not load", e);
            }
        }
        return list;
    }

    static Stream<Arguments> kernelsAndBinaryOps() {
        return implementations().stream().flatMap(k -> Stream.of(BinaryOp.values())
                .map(op -> Arguments.of(Named.of(k.name(), k), op)));
    }

    static Stream<Arguments> kernelsAndUnaryOps() {
        return implementations().stream().flatMap(k -> Stream.of(UnaryOp.values())
                .map(op -> Arguments.of(Named.of(k.name(), k), op)));
    }

    // ---------------------------------------------------------------------------------------------
    // Data and comparisons

    /** Random values in [lo, hi) with special values sprinkled in (also in vector tails). */
    private static float[] data(SplittableRandom rnd, int len, float lo, float hi, boolean specials) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = lo + (hi - lo) * (float) rnd.nextDouble();
        }
        if (specials && len > 0) {
            float[] sp = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1f, -1f, 1e-40f, 2f};
            for (int k = 0; k < sp.length; k++) {
                a[rnd.nextInt(len)] = sp[k];
            }
            a[len - 1] = sp[rnd.nextInt(sp.length)];
        }
        return a;
    }

    /** Maximum ulps allowed for a unary op against the reference; 0 means bitwise. */
    private static int ulps(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, TANH, GELU, ERF -> 2;
            case SIGMOID -> 4;
            default -> 0;
        };
    }

    private static boolean close(float expected, float actual, int ulps) {
        if (Float.isNaN(expected) || Float.isNaN(actual)) {
            return Float.isNaN(expected) && Float.isNaN(actual);
        }
        if (ulps == 0) {
            return Float.floatToIntBits(expected) == Float.floatToIntBits(actual);
        }
        if (expected == actual) {
            return true;
        }
        return Math.abs(expected - actual) <= ulps * Math.ulp(expected);
    }

    private static void assertRange(float[] expected, float[] actual, int ulps, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (!close(expected[i], actual[i], ulps)) {
                fail(what + ": index " + i + " expected " + expected[i] + " but got " + actual[i]
                        + " (allowed " + ulps + " ulps)");
            }
        }
    }

    private static double doubleSum(float[] a, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[off + i];
        }
        return s;
    }

    // ---------------------------------------------------------------------------------------------
    // Elementwise

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kernelsAndBinaryOps")
    void binaryOpsMatchReferenceBitwiseOnBodiesAndTails(Backend k, BinaryOp op) {
        SplittableRandom rnd = new SplittableRandom(op.ordinal());
        for (int n : SIZES) {
            int aOff = 3, bOff = 5, oOff = 1;
            float[] a = data(rnd, n + aOff, -3, 3, true);
            float[] b = data(rnd, n + bOff, -3, 3, true);
            if (n > 4) {
                b[bOff + 2] = a[aOff + 2]; // equal pairs for EQ/GE/LE
            }
            float[] expected = new float[n + oOff];
            float[] actual = new float[n + oOff];
            REF.binary(op, a, aOff, b, bOff, expected, oOff, n);
            k.binary(op, a, aOff, b, bOff, actual, oOff, n);
            assertRange(expected, actual, 0, k.name() + " binary " + op + " n=" + n);

            float s = n % 2 == 0 ? 0.75f : -1.5f;
            REF.binaryScalar(op, a, aOff, s, expected, oOff, n);
            k.binaryScalar(op, a, aOff, s, actual, oOff, n);
            assertRange(expected, actual, 0, k.name() + " binaryScalar " + op + " n=" + n);

            REF.scalarBinary(op, s, b, bOff, expected, oOff, n);
            k.scalarBinary(op, s, b, bOff, actual, oOff, n);
            assertRange(expected, actual, 0, k.name() + " scalarBinary " + op + " n=" + n);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kernelsAndUnaryOps")
    void unaryOpsMatchReferenceWithinStatedUlpsOnBodiesAndTails(Backend k, UnaryOp op) {
        SplittableRandom rnd = new SplittableRandom(100 + op.ordinal());
        float param = switch (op) {
            case LEAKY_RELU -> 0.01f;
            case POW -> 1.7f;
            case CLAMP_MIN -> -0.5f;
            case CLAMP_MAX -> 0.5f;
            default -> 3.25f;
        };
        // EXP sees overflow and subnormal underflow; LOG and SQRT mostly positive inputs.
        float lo = switch (op) {
            case EXP -> -104f;
            case LOG, SQRT, POW -> -0.5f;
            default -> -8f;
        };
        float hi = switch (op) {
            case EXP -> 90f;
            case LOG -> 1000f;
            default -> 8f;
        };
        for (int n : SIZES) {
            int aOff = 7, oOff = 2;
            float[] a = data(rnd, n + aOff, lo, hi, true);
            float[] expected = new float[n + oOff];
            float[] actual = new float[n + oOff];
            REF.unary(op, param, a, aOff, expected, oOff, n);
            k.unary(op, param, a, aOff, actual, oOff, n);
            assertRange(expected, actual, ulps(op), k.name() + " unary " + op + " n=" + n);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void transcendentalsStayWithinStatedUlpsOnceCompiled(Backend k) {
        // Cold calls may run the JDK's Math-based fallback; thousands of calls get the JIT's intrinsics.
        SplittableRandom rnd = new SplittableRandom(7);
        float[] a = data(rnd, 4097, -30f, 30f, true);
        float[] expected = new float[a.length];
        float[] actual = new float[a.length];
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.GELU}) {
            REF.unary(op, 0f, a, 0, expected, 0, a.length);
            for (int rep = 0; rep < 1500; rep++) {
                k.unary(op, 0f, a, 0, actual, 0, a.length);
            }
            assertRange(expected, actual, ulps(op), k.name() + " hot " + op);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void reluBackwardMatchesReferenceOnTails(Backend k) {
        for (int n : SIZES) {
            SplittableRandom rnd = new SplittableRandom(n);
            float[] x = data(rnd, n + 1, -1, 1, true);
            float[] dy = data(rnd, n + 1, -1, 1, false);
            float[] expected = new float[n];
            float[] actual = new float[n];
            for (int i = 0; i < n; i++) {
                expected[i] = x[1 + i] <= 0 ? 0f : dy[1 + i]; // PyTorch's threshold_backward: NaN passes dy
            }
            k.binary(BinaryOp.RELU_GRAD, x, 1, dy, 1, actual, 0, n);
            assertRange(expected, actual, 0, k.name() + " relu backward n=" + n);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void clampAndMaxPropagateNaNInEveryLane(Backend k) {
        for (int n : new int[] {1, 7, 16, 33, 100}) {
            for (int pos = 0; pos < n; pos += Math.max(1, n / 7)) {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = i - n / 2f;
                }
                a[pos] = Float.NaN;
                float[] out = new float[n];
                k.unary(UnaryOp.CLAMP_MIN, 0f, a, 0, out, 0, n);
                assertTrue(Float.isNaN(out[pos]), "clamp_min keeps NaN at " + pos + " of " + n);
                k.unary(UnaryOp.CLAMP_MAX, 0f, a, 0, out, 0, n);
                assertTrue(Float.isNaN(out[pos]), "clamp_max keeps NaN at " + pos + " of " + n);
                k.binaryScalar(BinaryOp.MAX, a, 0, 1f, out, 0, n);
                assertTrue(Float.isNaN(out[pos]), "binary max propagates NaN at " + pos + " of " + n);
                assertTrue(Float.isNaN(k.max(a, 0, n)), "max reduction is NaN with NaN at " + pos + " of " + n);
            }
        }
        assertEquals(Float.NEGATIVE_INFINITY, k.max(new float[3], 1, 0), "max of nothing");
    }

    /** The specials PyTorch's values below are given for, in this order. */
    private static final float[] SPECIALS = {Float.NaN, Float.NEGATIVE_INFINITY, -1f, -0f, 0f, 1f, Float.POSITIVE_INFINITY};

    /**
     * {@code pattern} repeated over {@code n} elements from offset {@code off}, so that every special value
     * lands in vector bodies and in tails.
     */
    private static float[] repeated(float[] pattern, int off, int n) {
        float[] a = new float[off + n];
        for (int i = 0; i < n; i++) {
            a[off + i] = pattern[i % pattern.length];
        }
        return a;
    }

    private static void assertSpecials(Backend k, String what, float[] pytorch, float[] actual, int off, int n) {
        float[] expected = new float[n];
        float[] got = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = pytorch[i % pytorch.length];
            got[i] = actual[off + i];
        }
        assertRange(expected, got, 0, k.name() + " " + what + " n=" + n + " (inputs NaN, -inf, -1, -0, 0, 1, inf)");
    }

    /**
     * PyTorch 1.13's values on NaN, ±Inf and ±0 (torch.relu, leaky_relu, sign, abs, clamp_min/clamp_max,
     * relu's backward, maximum, comparisons, max), bit for bit, signs of zero included, in every lane.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void reluClampSignAndCompareFollowPyTorchOnNaNInfinitiesAndSignedZeros(Backend k) {
        float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
        for (int n : new int[] {7, 37, 100}) {
            int off = 3;
            float[] x = repeated(SPECIALS, off, n);
            float[] out = new float[off + n];
            k.unary(UnaryOp.RELU, 0f, x, off, out, off, n);
            assertSpecials(k, "relu", new float[] {nan, 0f, 0f, -0f, 0f, 1f, inf}, out, off, n);
            k.unary(UnaryOp.LEAKY_RELU, 0.1f, x, off, out, off, n);
            assertSpecials(k, "leaky_relu", new float[] {nan, -inf, -0.1f, -0f, 0f, 1f, inf}, out, off, n);
            k.unary(UnaryOp.SIGN, 0f, x, off, out, off, n);
            assertSpecials(k, "sign", new float[] {0f, -1f, -1f, 0f, 0f, 1f, 1f}, out, off, n);
            k.unary(UnaryOp.ABS, 0f, x, off, out, off, n);
            assertSpecials(k, "abs", new float[] {nan, inf, 1f, 0f, 0f, 1f, inf}, out, off, n);
            k.unary(UnaryOp.CLAMP_MIN, 0.5f, x, off, out, off, n);
            assertSpecials(k, "clamp_min 0.5", new float[] {nan, 0.5f, 0.5f, 0.5f, 0.5f, 1f, inf}, out, off, n);
            k.unary(UnaryOp.CLAMP_MIN, 0f, x, off, out, off, n);
            assertSpecials(k, "clamp_min 0", new float[] {nan, 0f, 0f, -0f, 0f, 1f, inf}, out, off, n);
            k.unary(UnaryOp.CLAMP_MAX, -0f, x, off, out, off, n);
            assertSpecials(k, "clamp_max -0", new float[] {nan, -inf, -1f, -0f, 0f, -0f, -0f}, out, off, n);
            k.unary(UnaryOp.CLAMP_MIN, nan, x, off, out, off, n);
            assertSpecials(k, "clamp_min nan", new float[] {nan}, out, off, n);
            k.unary(UnaryOp.CLAMP_MAX, nan, x, off, out, off, n);
            assertSpecials(k, "clamp_max nan", new float[] {nan}, out, off, n);

            float[] dy = repeated(new float[] {2.5f}, off, n);
            k.binary(BinaryOp.RELU_GRAD, x, off, dy, off, out, off, n);
            assertSpecials(k, "relu backward", new float[] {2.5f, 0f, 0f, 0f, 0f, 2.5f, 2.5f}, out, off, n);
            k.binaryScalar(BinaryOp.MAX, x, off, 1f, out, off, n);
            assertSpecials(k, "maximum with 1", new float[] {nan, 1f, 1f, 1f, 1f, 1f, inf}, out, off, n);
            k.scalarBinary(BinaryOp.MIN, 1f, x, off, out, off, n);
            assertSpecials(k, "minimum with 1", new float[] {nan, -inf, -1f, -0f, 0f, 1f, 1f}, out, off, n);
            k.binaryScalar(BinaryOp.GT, x, off, 0f, out, off, n);
            assertSpecials(k, "gt 0", new float[] {0f, 0f, 0f, 0f, 0f, 1f, 1f}, out, off, n);
            k.binaryScalar(BinaryOp.LE, x, off, 0f, out, off, n);
            assertSpecials(k, "le 0", new float[] {0f, 1f, 1f, 1f, 1f, 0f, 0f}, out, off, n);
            k.binary(BinaryOp.NE, x, off, x, off, out, off, n);
            assertSpecials(k, "ne self", new float[] {1f, 0f, 0f, 0f, 0f, 0f, 0f}, out, off, n);
            k.binary(BinaryOp.EQ, x, off, x, off, out, off, n);
            assertSpecials(k, "eq self", new float[] {0f, 1f, 1f, 1f, 1f, 1f, 1f}, out, off, n);
            assertTrue(Float.isNaN(k.max(x, off, n)), k.name() + " max of values holding NaN, n=" + n);
            assertEquals(inf, k.max(repeated(new float[] {-inf, -1f, 0f, 1f, inf}, off, n), off, n), k.name() + " max, n=" + n);
            assertEquals(-1f, k.max(repeated(new float[] {-inf, -1f}, off, n), off, n), k.name() + " max below 0, n=" + n);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void reluAndItsBackwardPropagateNaNInEveryLane(Backend k) {
        for (int n : new int[] {1, 7, 16, 33, 100}) {
            for (int pos = 0; pos < n; pos++) {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = i - n / 2f;
                }
                a[pos] = Float.NaN;
                float[] out = new float[n];
                k.unary(UnaryOp.RELU, 0f, a, 0, out, 0, n);
                assertTrue(Float.isNaN(out[pos]), k.name() + " relu keeps NaN at " + pos + " of " + n);
                k.binaryScalar(BinaryOp.RELU_GRAD, a, 0, 3f, out, 0, n);
                assertEquals(3f, out[pos], k.name() + " relu backward passes the gradient at NaN, " + pos + " of " + n);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reductions

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void sumAndDotAreDeterministicAndCloseToDoubleSums(Backend k) {
        for (int n : new int[] {0, 1, 2, 7, 8, 15, 16, 17, 31, 33, 100, 1000, 1024, 1025, 4097, 100_003}) {
            SplittableRandom rnd = new SplittableRandom(n);
            float[] a = data(rnd, n + 3, 0.5f, 1.5f, false); // positive: no cancellation, so relative error is meaningful
            float[] b = data(rnd, n + 5, 0.5f, 1.5f, false);
            float s1 = k.sum(a, 3, n);
            assertEquals(Float.floatToIntBits(s1), Float.floatToIntBits(k.sum(a, 3, n)), "sum repeats exactly, n=" + n);
            double exact = doubleSum(a, 3, n);
            assertEquals(exact, s1, 1e-5 * exact + 1e-30, k.name() + " sum n=" + n);

            float d1 = k.dot(a, 3, b, 5, n);
            assertEquals(Float.floatToIntBits(d1), Float.floatToIntBits(k.dot(a, 3, b, 5, n)), "dot repeats exactly, n=" + n);
            double exactDot = 0;
            for (int i = 0; i < n; i++) {
                exactDot += (double) a[3 + i] * b[5 + i];
            }
            assertEquals(exactDot, d1, 1e-5 * exactDot + 1e-30, k.name() + " dot n=" + n);

            float m = k.max(a, 3, n);
            assertEquals(REF.max(a, 3, n), m, k.name() + " max n=" + n);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void axpyAddRowVectorAndSumRowsMatchReferenceBitwise(Backend k) {
        for (int n : SIZES) {
            SplittableRandom rnd = new SplittableRandom(n);
            float[] x = data(rnd, n + 2, -2, 2, false);
            float[] y1 = data(rnd, n + 4, -2, 2, false);
            float[] y2 = y1.clone();
            REF.axpy(n, 0.3f, x, 2, y1, 4);
            k.axpy(n, 0.3f, x, 2, y2, 4);
            assertRange(y1, y2, 0, k.name() + " axpy n=" + n);

            for (int rows : new int[] {0, 1, 3, 9}) {
                float[] m1 = data(rnd, rows * n + 5, -2, 2, false);
                float[] m2 = m1.clone();
                float[] row = data(rnd, n + 1, -2, 2, false);
                REF.addRowVector(m1, 5, row, 1, rows, n);
                k.addRowVector(m2, 5, row, 1, rows, n);
                assertRange(m1, m2, 0, k.name() + " addRowVector " + rows + "x" + n);

                float[] o1 = new float[n + 3];
                float[] o2 = data(rnd, n + 3, -2, 2, false); // overwritten, not accumulated into
                System.arraycopy(o1, 0, o2, 0, 3);
                REF.sumRows(m1, 5, rows, n, o1, 3);
                k.sumRows(m1, 5, rows, n, o2, 3);
                assertRange(o1, o2, 0, k.name() + " sumRows " + rows + "x" + n);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Rows

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void softmaxRowsSumToOneAndMatchReference(Backend k) {
        for (int cols : new int[] {1, 2, 7, 10, 16, 17, 33, 1000}) {
            for (int rows : new int[] {0, 1, 3, 32}) {
                SplittableRandom rnd = new SplittableRandom(cols * 31 + rows);
                float[] in = data(rnd, rows * cols + 3, -20, 20, false);
                float[] expected = new float[rows * cols + 1];
                float[] actual = new float[rows * cols + 1];
                REF.softmaxRows(in, 3, expected, 1, rows, cols, false);
                k.softmaxRows(in, 3, actual, 1, rows, cols, false);
                for (int r = 0; r < rows; r++) {
                    assertEquals(1.0, doubleSum(actual, 1 + r * cols, cols), 1e-5, k.name() + " row sum " + rows + "x" + cols);
                }
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-6f + 1e-5f * expected[i],
                            k.name() + " softmax " + rows + "x" + cols + " at " + i);
                }
                REF.softmaxRows(in, 3, expected, 1, rows, cols, true);
                k.softmaxRows(in, 3, actual, 1, rows, cols, true);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-5f + 1e-6f * Math.abs(expected[i]),
                            k.name() + " log-softmax " + rows + "x" + cols + " at " + i);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void softmaxRowsIsStableForHugeLogitsAndInPlace(Backend k) {
        float[] x = {1000f, 1001f, 999f, -1e30f, 1000f, 1001f, 999f, -1e30f, 5f};
        float[] expected = new float[9];
        REF.softmaxRows(x, 0, expected, 0, 2, 4, false);
        k.softmaxRows(x, 0, x, 0, 2, 4, false);
        for (int i = 0; i < 8; i++) {
            assertTrue(Float.isFinite(x[i]), "finite at " + i);
            assertEquals(expected[i], x[i], 1e-6f, k.name() + " in-place softmax at " + i);
        }
        assertEquals(5f, x[8], "softmax wrote past its block");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void adamUpdateMatchesReferenceBitwise(Backend k) {
        for (int n : SIZES) {
            SplittableRandom rnd = new SplittableRandom(n);
            int pOff = 3, gOff = 1, sOff = 2; // separate offsets: a parameter may be a view into a larger tensor
            float[] p1 = data(rnd, n + pOff + 2, -1, 1, false), p2 = p1.clone();
            float[] g = data(rnd, n + gOff + 2, -1, 1, false);
            float[] m1 = data(rnd, n + sOff + 2, -0.1f, 0.1f, false), m2 = m1.clone();
            float[] v1 = data(rnd, n + sOff + 2, 0f, 0.01f, false), v2 = v1.clone();
            for (int step = 1; step <= 3; step++) {
                float bc1 = (float) (1 - Math.pow(0.9, step));
                float bc2 = (float) (1 - Math.pow(0.999, step));
                REF.adamUpdate(p1, pOff, g, gOff, m1, v1, sOff, n, 1e-3f, 0.9f, 0.999f, 1e-8f, bc1, bc2);
                k.adamUpdate(p2, pOff, g, gOff, m2, v2, sOff, n, 1e-3f, 0.9f, 0.999f, 1e-8f, bc1, bc2);
            }
            assertRange(p1, p2, 0, k.name() + " adam p n=" + n);
            assertRange(m1, m2, 0, k.name() + " adam m n=" + n);
            assertRange(v1, v2, 0, k.name() + " adam v n=" + n);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void sgdUpdateFollowsPyTorchsRuleAndTouchesOnlyItsRange(Backend k) {
        for (int n : SIZES) {
            SplittableRandom rnd = new SplittableRandom(n + 7);
            float[] p = data(rnd, n + 4, -1, 1, false), p0 = p.clone();
            float[] g = data(rnd, n + 1, -1, 1, false);
            float[] buf = data(rnd, n + 2, -1, 1, false), buf0 = buf.clone();
            float lr = 0.1f, mom = 0.9f, damp = 0.25f, wd = 0.01f;
            k.sgdUpdate(p, 2, g, 1, buf, 2, n, false, lr, mom, damp, wd, true);
            for (int i = 0; i < n; i++) {
                float gi = g[1 + i] + wd * p0[2 + i];
                float b = mom * buf0[2 + i] + (1 - damp) * gi;
                assertEquals(b, buf[2 + i], 0f, k.name() + " sgd buf n=" + n + " i=" + i);
                assertEquals(p0[2 + i] - lr * (gi + mom * b), p[2 + i], 0f, k.name() + " sgd p n=" + n + " i=" + i);
            }
            assertEquals(p0[0], p[0]);
            assertEquals(p0[1], p[1]);
            assertEquals(p0[n + 2], p[n + 2], "sgd wrote past its range");
            k.sgdUpdate(p, 2, g, 1, null, 0, n, true, lr, 0, 0, 0, false); // plain SGD: no buffer
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void rmspropUpdateFollowsPyTorchsRule(Backend k) {
        for (int n : SIZES) {
            SplittableRandom rnd = new SplittableRandom(n + 11);
            float[] p = data(rnd, n + 3, -1, 1, false), p0 = p.clone();
            float[] g = data(rnd, n, -1, 1, false);
            float[] sq = data(rnd, n + 1, 0.5f, 1f, false), sq0 = sq.clone();
            float[] ga = data(rnd, n + 1, -0.1f, 0.1f, false), ga0 = ga.clone();
            float[] b = data(rnd, n + 1, -0.1f, 0.1f, false), b0 = b.clone();
            float lr = 0.01f, alpha = 0.99f, eps = 1e-8f, wd = 0.1f, mom = 0.5f;
            k.rmspropUpdate(p, 3, g, 0, sq, ga, b, 1, n, lr, alpha, eps, wd, mom);
            for (int i = 0; i < n; i++) {
                float gi = g[i] + wd * p0[3 + i];
                float s = alpha * sq0[1 + i] + (1 - alpha) * gi * gi;
                float a = alpha * ga0[1 + i] + (1 - alpha) * gi;
                float avg = (float) Math.sqrt(s - a * a) + eps;
                float bi = mom * b0[1 + i] + gi / avg;
                assertEquals(s, sq[1 + i], 0f, k.name() + " rmsprop square_avg i=" + i);
                assertEquals(p0[3 + i] - lr * bi, p[3 + i], 0f, k.name() + " rmsprop p i=" + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void whereSelectsWithoutBlending(Backend k) {
        for (int n : SIZES) {
            SplittableRandom rnd = new SplittableRandom(n + 13);
            float[] mask = new float[n + 1], a = data(rnd, n + 2, -1, 1, true), b = data(rnd, n + 1, -1, 1, true);
            for (int i = 0; i < n; i++) {
                mask[1 + i] = rnd.nextInt(3) == 0 ? 0f : (rnd.nextBoolean() ? 1f : Float.NaN); // NaN != 0: selects a
            }
            float[] out = new float[n + 3];
            k.where(mask, 1, a, 2, b, 1, out, 3, n);
            for (int i = 0; i < n; i++) {
                float want = mask[1 + i] != 0 ? a[2 + i] : b[1 + i];
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(out[3 + i]), k.name() + " where i=" + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void gatherReadsEveryPositionAndScatterAddAccumulatesRepeatsInOrder(Backend k) {
        for (int n : SIZES) {
            SplittableRandom rnd = new SplittableRandom(n + 29);
            float[] src = data(rnd, 2 * n + 3, -1, 1, true);
            int[] pos = new int[n + 2];
            for (int i = 0; i < pos.length; i++) {
                pos[i] = rnd.nextInt(src.length);
            }
            float[] out = new float[n + 4];
            k.gather(src, pos, 2, out, 1, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(src[pos[2 + i]]), Float.floatToRawIntBits(out[1 + i]),
                        k.name() + " gather i=" + i);
            }
            float[] dst = data(rnd, 2 * n + 3, -1, 1, false), want = dst.clone();
            float[] add = data(rnd, n + 1, -1, 1, false);
            for (int i = 0; i < n; i++) {
                want[pos[2 + i]] += add[1 + i];
            }
            k.scatterAdd(add, 1, pos, 2, dst, n);
            for (int i = 0; i < dst.length; i++) {
                assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(dst[i]), k.name() + " scatterAdd i=" + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void crossEntropyRowsMatchesSoftmaxComposition(Backend k) {
        for (int cols : new int[] {1, 2, 7, 10, 17, 33, 1000}) {
            for (int rows : new int[] {0, 1, 5, 32}) {
                SplittableRandom rnd = new SplittableRandom(cols * 7 + rows);
                int off = 2, tOff = 1, gOff = 4;
                float[] logits = data(rnd, rows * cols + off, -10, 10, false);
                float[] targets = new float[rows + tOff];
                for (int r = 0; r < rows; r++) {
                    targets[tOff + r] = rnd.nextInt(cols);
                }
                float scale = rows == 0 ? 1f : 1f / rows;
                // Expected: log-softmax / softmax from the reference, then the loss and gradient by hand.
                float[] logp = new float[rows * cols];
                float[] prob = new float[rows * cols];
                REF.softmaxRows(logits, off, logp, 0, rows, cols, true);
                REF.softmaxRows(logits, off, prob, 0, rows, cols, false);
                double loss = 0;
                float[] grad = new float[rows * cols];
                for (int r = 0; r < rows; r++) {
                    int t = (int) targets[tOff + r];
                    loss -= logp[r * cols + t];
                    for (int j = 0; j < cols; j++) {
                        grad[r * cols + j] = scale * (prob[r * cols + j] - (j == t ? 1f : 0f));
                    }
                }
                float[] gradOut = new float[rows * cols + gOff];
                float got = k.crossEntropyRows(logits, off, rows, cols, targets, tOff, gradOut, gOff, scale);
                assertEquals(loss, got, 1e-5 * Math.abs(loss) + 1e-5, k.name() + " loss " + rows + "x" + cols);
                assertEquals(got, k.crossEntropyRows(logits, off, rows, cols, targets, tOff, null, 0, scale),
                        k.name() + " loss without gradient");
                for (int i = 0; i < rows * cols; i++) {
                    assertEquals(grad[i], gradOut[gOff + i], 1e-7f + 1e-5f * Math.abs(grad[i]),
                            k.name() + " gradient " + rows + "x" + cols + " at " + i);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void crossEntropyRowsRejectsTargetOutOfRangeNamingRowValueAndCols(Backend k) {
        float[] logits = new float[12];
        float[] grad = new float[12];
        for (float bad : new float[] {4f, -1f, 1.5f, Float.NaN}) {
            float[] targets = {0f, 3f, bad};
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> k.crossEntropyRows(logits, 0, 3, 4, targets, 0, grad, 0, 1f));
            String msg = e.getMessage();
            assertTrue(msg.contains("row 2") && msg.contains(String.valueOf(bad)) && msg.contains("[0, 4)"), msg);
        }
        for (float g : grad) {
            assertEquals(0f, g, "nothing written before the error");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Pooling

    /**
     * Every window against the plain definition: values bitwise, indices exact. Geometries: the 2×2 stride-2
     * fast path (odd sizes too) and others with strides, padding (windows partly outside), dilation and ceil
     * mode's extra window, with rows of windows shorter and longer than a vector; few distinct values (ties,
     * ±0) and NaN/±Inf; offsets, and a range of planes not starting at 0. Repeated so that the loops are
     * compiled by the last round.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void maxPool2dMatchesTheDefinitionWithTiesSignedZerosAndNaN(Backend k) {
        float[] pool = {0f, -0f, 1f, 1f, 2f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        // {h, w, kh, kw, sh, sw, ph, pw, dh, dw, extra}: extra adds ceil mode's last window to the output grid
        int[][] cases = {{2, 2, 2, 2, 2, 2, 0, 0, 1, 1, 0}, {7, 6, 2, 2, 2, 2, 0, 0, 1, 1, 0}, {26, 26, 2, 2, 2, 2, 0, 0, 1, 1, 0},
                {5, 67, 2, 2, 2, 2, 0, 0, 1, 1, 0}, {13, 13, 3, 3, 2, 2, 1, 1, 1, 1, 0}, {9, 40, 3, 3, 1, 1, 1, 1, 1, 1, 0},
                {8, 37, 2, 3, 1, 3, 1, 1, 2, 1, 0}, {7, 7, 2, 2, 2, 2, 0, 0, 1, 1, 1}, {6, 19, 3, 2, 2, 1, 0, 1, 1, 2, 0}};
        for (int round = 0; round < 30; round++) {
            for (int[] t : cases) {
                for (int planes : new int[] {1, 3}) {
                    int h = t[0], w = t[1];
                    int oh = (h + 2 * t[6] - t[8] * (t[2] - 1) - 1) / t[4] + 1 + t[10];
                    int ow = (w + 2 * t[7] - t[9] * (t[3] - 1) - 1) / t[5] + 1 + t[10];
                    Im2col.Geometry g = new Im2col.Geometry(1, h, w, t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], oh, ow);
                    int xOff = 3, yOff = 5, from = planes > 1 ? 1 : 0;
                    SplittableRandom rnd = new SplittableRandom(31L * planes + h + w + round);
                    float[] x = new float[xOff + planes * h * w];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = pool[rnd.nextInt(round % 2 == 0 ? 6 : pool.length)];
                    }
                    float[] y = new float[yOff + planes * oh * ow];
                    int[] arg = new int[y.length];
                    k.maxPool2d(g, x, xOff, from, planes, y, yOff, arg);
                    for (int pl = 0; pl < planes; pl++) {
                        for (int i = 0; i < oh; i++) {
                            for (int j = 0; j < ow; j++) {
                                int q = yOff + pl * oh * ow + i * ow + j;
                                if (pl < from) {
                                    assertTrue(y[q] == 0f && arg[q] == 0, "plane " + pl + " before the range was written");
                                    continue;
                                }
                                int at = -1;
                                for (int a = 0; a < t[2]; a++) {
                                    for (int b = 0; b < t[3]; b++) {
                                        int ih = i * t[4] - t[6] + a * t[8], iw = j * t[5] - t[7] + b * t[9];
                                        if (ih < 0 || ih >= h || iw < 0 || iw >= w) {
                                            continue;
                                        }
                                        int pos = pl * h * w + ih * w + iw;
                                        float v = x[xOff + pos];
                                        if (at < 0 || v > x[xOff + at] || Float.isNaN(v)) { // last NaN wins, as in PyTorch
                                            at = pos;
                                        }
                                    }
                                }
                                String where = k.name() + " " + g + " plane " + pl + " window (" + i + "," + j + ")";
                                assertEquals(at, arg[q], where);
                                float want = at < 0 ? Float.NEGATIVE_INFINITY : x[xOff + at];
                                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(y[q]), where);
                            }
                        }
                    }
                }
            }
        }
    }
}
