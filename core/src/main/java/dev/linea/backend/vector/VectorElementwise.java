package dev.linea.backend.vector;

import dev.linea.backend.BinaryOp;
import dev.linea.backend.ScalarBackend;
import dev.linea.backend.UnaryOp;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The non-GEMM kernels on the Vector API: elementwise ops, reductions, softmax, cross-entropy and the
 * Adam update. Species-generic: the same code runs 256-bit on AVX2 and 512-bit on AVX-512.
 *
 * <p>Accuracy against {@link ScalarBackend}: everything built from IEEE add/sub/mul/div/sqrt/min/max,
 * compares and blends is bitwise identical to the reference (the operations are evaluated in the same
 * order; no FMA contraction). EXP, LOG and TANH come from {@link VectorMath} (within 2 ulp, and the same
 * bits compiled or interpreted, in lanes or in the scalar tail — the JDK's SVML-backed operators are not);
 * SIGMOID is built from that EXP (a few ulps); GELU runs the reference's scalar loop. So no result here
 * depends on whether the JIT has compiled a loop yet, which a resumed training run relies on.
 *
 * <p>Vector operators must be compile-time constants at their use sites: a {@code VectorOperators}
 * value held in a variable is not intrinsified and runs ~30× slower. That is why the loops below switch
 * on the op and name each operator literally.
 */
final class VectorElementwise {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final int SUM_BLOCK = ScalarBackend.SUM_BLOCK;

    private VectorElementwise() {}

    // ---------------------------------------------------------------------------------------------
    // Elementwise

    // The op switch sits inside each loop body on purpose: as a separate lane function it can exceed
    // C2's inlining limits, and a vector passed to a non-inlined call is boxed (10-30x slower). The
    // switch on a loop-invariant op is a well-predicted branch.

    static void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        if (op != BinaryOp.POW && op != BinaryOp.GELU_GRAD) { // those two: scalar loop below
            FloatVector zero = FloatVector.zero(S);
            for (int bound = S.loopBound(n); i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, aOff + i);
                FloatVector y = FloatVector.fromArray(S, b, bOff + i);
                FloatVector r = switch (op) {
                    case ADD -> x.add(y);
                    case SUB -> x.sub(y);
                    case MUL -> x.mul(y);
                    case DIV -> x.div(y);
                    // FloatVector MAX/MIN follow Math.max/min: NaN propagates, max(-0, 0) = 0, as the reference.
                    case MAX -> x.lanewise(VectorOperators.MAX, y);
                    case MIN -> x.lanewise(VectorOperators.MIN, y);
                    case GT -> zero.blend(1f, x.compare(VectorOperators.GT, y));
                    case LT -> zero.blend(1f, x.compare(VectorOperators.LT, y));
                    case GE -> zero.blend(1f, x.compare(VectorOperators.GE, y));
                    case LE -> zero.blend(1f, x.compare(VectorOperators.LE, y));
                    case EQ -> zero.blend(1f, x.compare(VectorOperators.EQ, y));
                    case NE -> zero.blend(1f, x.compare(VectorOperators.NE, y));
                    // A blend, not a branch: the ternary compiles to unpredictable jumps (~10x slower). The
                    // compare is x <= 0 (not x > 0) so that a NaN input passes its gradient, as in PyTorch.
                    case RELU_GRAD -> y.blend(zero, x.compare(VectorOperators.LE, 0f));
                    case POW, GELU_GRAD -> throw new AssertionError();
                };
                r.intoArray(out, outOff + i);
            }
        }
        for (; i < n; i++) {
            out[outOff + i] = op.apply(a[aOff + i], b[bOff + i]);
        }
    }

    static void binaryScalar(BinaryOp op, float[] a, int aOff, float s, float[] out, int outOff, int n) {
        int i = 0;
        if (op != BinaryOp.POW && op != BinaryOp.GELU_GRAD) { // those two: scalar loop below
            FloatVector y = FloatVector.broadcast(S, s);
            FloatVector zero = FloatVector.zero(S);
            for (int bound = S.loopBound(n); i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, aOff + i);
                FloatVector r = switch (op) {
                    case ADD -> x.add(y);
                    case SUB -> x.sub(y);
                    case MUL -> x.mul(y);
                    case DIV -> x.div(y);
                    case MAX -> x.lanewise(VectorOperators.MAX, y);
                    case MIN -> x.lanewise(VectorOperators.MIN, y);
                    case GT -> zero.blend(1f, x.compare(VectorOperators.GT, y));
                    case LT -> zero.blend(1f, x.compare(VectorOperators.LT, y));
                    case GE -> zero.blend(1f, x.compare(VectorOperators.GE, y));
                    case LE -> zero.blend(1f, x.compare(VectorOperators.LE, y));
                    case EQ -> zero.blend(1f, x.compare(VectorOperators.EQ, y));
                    case NE -> zero.blend(1f, x.compare(VectorOperators.NE, y));
                    case RELU_GRAD -> y.blend(zero, x.compare(VectorOperators.LE, 0f));
                    case POW, GELU_GRAD -> throw new AssertionError();
                };
                r.intoArray(out, outOff + i);
            }
        }
        for (; i < n; i++) {
            out[outOff + i] = op.apply(a[aOff + i], s);
        }
    }

    static void scalarBinary(BinaryOp op, float s, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        if (op != BinaryOp.POW && op != BinaryOp.GELU_GRAD) { // those two: scalar loop below
            FloatVector x = FloatVector.broadcast(S, s);
            FloatVector zero = FloatVector.zero(S);
            for (int bound = S.loopBound(n); i < bound; i += L) {
                FloatVector y = FloatVector.fromArray(S, b, bOff + i);
                FloatVector r = switch (op) {
                    case ADD -> x.add(y);
                    case SUB -> x.sub(y);
                    case MUL -> x.mul(y);
                    case DIV -> x.div(y);
                    case MAX -> x.lanewise(VectorOperators.MAX, y);
                    case MIN -> x.lanewise(VectorOperators.MIN, y);
                    case GT -> zero.blend(1f, x.compare(VectorOperators.GT, y));
                    case LT -> zero.blend(1f, x.compare(VectorOperators.LT, y));
                    case GE -> zero.blend(1f, x.compare(VectorOperators.GE, y));
                    case LE -> zero.blend(1f, x.compare(VectorOperators.LE, y));
                    case EQ -> zero.blend(1f, x.compare(VectorOperators.EQ, y));
                    case NE -> zero.blend(1f, x.compare(VectorOperators.NE, y));
                    case RELU_GRAD -> y.blend(zero, x.compare(VectorOperators.LE, 0f));
                    case POW, GELU_GRAD -> throw new AssertionError();
                };
                r.intoArray(out, outOff + i);
            }
        }
        for (; i < n; i++) {
            out[outOff + i] = op.apply(s, b[bOff + i]);
        }
    }

    static void unary(UnaryOp op, float param, float[] a, int aOff, float[] out, int outOff, int n) {
        if ((op == UnaryOp.CLAMP_MIN || op == UnaryOp.CLAMP_MAX) && Float.isNaN(param)) {
            Arrays.fill(out, outOff, outOff + n, Float.NaN); // a NaN bound: NaN everywhere; the blends would keep x
            return;
        }
        int i = 0;
        switch (op) {
            case FILL -> {
                Arrays.fill(out, outOff, outOff + n, param);
                return;
            }
            case POW -> { } // scalar loop below: no vector pow matches Math.pow closely enough to be worth it
            case GELU, ERF -> { } // scalar loop: erf is evaluated with Math.exp, whose bits must not depend on the JIT
            // Each transcendental op in a loop of its own: in the shared loop below, once the profile had seen
            // them all, every op of that loop ran 10-15x slower (NEG 0.8 against 0.06 ns an element, AMD EPYC
            // 512-bit): C2 compiled one huge body and no longer kept the vectors in registers.
            case EXP -> i = exp(a, aOff, out, outOff, n);
            case LOG -> i = log(a, aOff, out, outOff, n);
            case TANH -> i = tanh(a, aOff, out, outOff, n);
            case SIGMOID -> i = sigmoid(a, aOff, out, outOff, n);
            default -> {
                FloatVector one = FloatVector.broadcast(S, 1f);
                FloatVector zero = FloatVector.zero(S);
                for (int bound = S.loopBound(n); i < bound; i += L) {
                    FloatVector x = FloatVector.fromArray(S, a, aOff + i);
                    FloatVector r = switch (op) {
                        case NEG -> x.neg();
                        case ABS -> x.abs();
                        case SQRT -> x.sqrt();
                        case SQUARE -> x.mul(x);
                        case RECIPROCAL -> one.div(x);
                        // Only x < 0 is replaced: NaN and -0 pass through, as the reference (and torch.relu).
                        case RELU -> x.blend(zero, x.compare(VectorOperators.LT, 0f));
                        case LEAKY_RELU -> x.mul(param).blend(x, x.compare(VectorOperators.GT, 0f));
                        // x kept unless strictly beyond the bound: NaN and ties (-0 against 0) stay, as the
                        // reference; a compare and a blend cost less than the Math.max-exact lanewise MAX.
                        case CLAMP_MIN -> x.blend(param, x.compare(VectorOperators.LT, param));
                        case CLAMP_MAX -> x.blend(param, x.compare(VectorOperators.GT, param));
                        // +0 unless x > 0 or x < 0: ±0 and NaN give +0, as the reference (and torch.sign).
                        case SIGN -> zero.blend(1f, x.compare(VectorOperators.GT, 0f))
                                .blend(-1f, x.compare(VectorOperators.LT, 0f));
                        case EXP, LOG, TANH, SIGMOID, POW, GELU, ERF, FILL -> throw new AssertionError();
                    };
                    r.intoArray(out, outOff + i);
                }
            }
        }
        for (; i < n; i++) {
            out[outOff + i] = scalarUnary(op, a[aOff + i], param);
        }
    }

    /** The vector part of EXP over {@code [0, n)}; returns where the scalar tail starts. */
    private static int exp(float[] a, int aOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMath.exp(FloatVector.fromArray(S, a, aOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    /** The vector part of LOG, as {@link #exp(float[], int, float[], int, int)}. */
    private static int log(float[] a, int aOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMath.log(FloatVector.fromArray(S, a, aOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    /** The vector part of TANH, as {@link #exp(float[], int, float[], int, int)}. */
    private static int tanh(float[] a, int aOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMath.tanh(FloatVector.fromArray(S, a, aOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    /** The vector part of SIGMOID, as {@link #exp(float[], int, float[], int, int)}. */
    private static int sigmoid(float[] a, int aOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMath.sigmoid(FloatVector.fromArray(S, a, aOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    /** The tail of {@link #unary}: the lanes' own scalar twins where the reference would round differently. */
    private static float scalarUnary(UnaryOp op, float x, float param) {
        return switch (op) {
            case EXP -> VectorMath.exp(x);
            case LOG -> VectorMath.log(x);
            case TANH -> VectorMath.tanh(x);
            case SIGMOID -> VectorMath.sigmoid(x);
            default -> op.apply(x, param);
        };
    }

    /** {@code x[r][c] += row[c]} for a {@code rows×cols} block; bitwise equal to the reference. */
    static void addRowVector(float[] x, int xOff, float[] row, int rowOff, int rows, int cols) {
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = xOff + r * cols;
            int c = 0;
            for (; c < bound; c += L) {
                FloatVector.fromArray(S, x, base + c).add(FloatVector.fromArray(S, row, rowOff + c)).intoArray(x, base + c);
            }
            for (; c < cols; c++) {
                x[base + c] += row[rowOff + c];
            }
        }
    }

    /**
     * {@code out[c] = Σ_r x[r][c]}, rows added top to bottom from 0, per column: the reference's order,
     * so the result is bitwise equal to it. Walks rows outermost so memory is read contiguously.
     */
    static void sumRows(float[] x, int xOff, int rows, int cols, float[] out, int outOff) {
        Arrays.fill(out, outOff, outOff + cols, 0f); // 0 + (-0) = +0, as the reference's running sum
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = xOff + r * cols;
            int c = 0;
            for (; c < bound; c += L) {
                FloatVector.fromArray(S, out, outOff + c).add(FloatVector.fromArray(S, x, base + c)).intoArray(out, outOff + c);
            }
            for (; c < cols; c++) {
                out[outOff + c] += x[base + c];
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reductions

    /**
     * Sum in a fixed order that depends only on {@code n} and the vector width: blocks of
     * {@link ScalarBackend#SUM_BLOCK} elements (counted from {@code off}) are added left to right; within
     * a block, four vector accumulators take consecutive vectors in turn, are combined as
     * {@code (acc0+acc1)+(acc2+acc3)}, their lanes are added left to right, then the scalar tail left to
     * right. Lane totals are spilled to an array rather than using {@code reduceLanes(ADD)}, whose order
     * the JDK leaves unspecified (and which may differ between interpreted and compiled code).
     */
    static float sum(float[] a, int off, int n) {
        float total = 0f;
        float[] lanes = new float[L];
        for (int start = 0; start < n; start += SUM_BLOCK) {
            total += blockSum(a, off + start, Math.min(SUM_BLOCK, n - start), lanes);
        }
        return total;
    }

    private static float blockSum(float[] a, int off, int len, float[] lanes) {
        FloatVector acc0 = FloatVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound4 = len - len % (4 * L); i < bound4; i += 4 * L) {
            acc0 = acc0.add(FloatVector.fromArray(S, a, off + i));
            acc1 = acc1.add(FloatVector.fromArray(S, a, off + i + L));
            acc2 = acc2.add(FloatVector.fromArray(S, a, off + i + 2 * L));
            acc3 = acc3.add(FloatVector.fromArray(S, a, off + i + 3 * L));
        }
        for (int bound = S.loopBound(len); i < bound; i += L) {
            acc0 = acc0.add(FloatVector.fromArray(S, a, off + i));
        }
        float s = lanesInOrder(acc0.add(acc1).add(acc2.add(acc3)), lanes);
        for (; i < len; i++) {
            s += a[off + i];
        }
        return s;
    }

    /** The lanes of {@code v} added left to right: a fixed order. */
    private static float lanesInOrder(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        float s = 0f;
        for (int j = 0; j < L; j++) {
            s += lanes[j];
        }
        return s;
    }

    /** Dot product in the same fixed order as {@link #sum}, with fused multiply-adds in the lanes. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float total = 0f;
        float[] lanes = new float[L];
        for (int start = 0; start < n; start += SUM_BLOCK) {
            int len = Math.min(SUM_BLOCK, n - start);
            int ao = aOff + start, bo = bOff + start;
            FloatVector acc0 = FloatVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
            int i = 0;
            for (int bound4 = len - len % (4 * L); i < bound4; i += 4 * L) {
                acc0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc0);
                acc1 = FloatVector.fromArray(S, a, ao + i + L).fma(FloatVector.fromArray(S, b, bo + i + L), acc1);
                acc2 = FloatVector.fromArray(S, a, ao + i + 2 * L).fma(FloatVector.fromArray(S, b, bo + i + 2 * L), acc2);
                acc3 = FloatVector.fromArray(S, a, ao + i + 3 * L).fma(FloatVector.fromArray(S, b, bo + i + 3 * L), acc3);
            }
            for (int bound = S.loopBound(len); i < bound; i += L) {
                acc0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc0);
            }
            float s = lanesInOrder(acc0.add(acc1).add(acc2.add(acc3)), lanes);
            for (; i < len; i++) {
                s += a[ao + i] * b[bo + i];
            }
            total += s;
        }
        return total;
    }

    /** Largest element; NaN if any is NaN; -Infinity for {@code n == 0}. (Max is order-independent.) */
    static float max(float[] a, int off, int n) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            acc = acc.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, a, off + i));
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, a[off + i]); // Math.max propagates NaN
        }
        return m;
    }

    /** {@code y += alpha·x} as a multiply then an add (no FMA), bitwise equal to the reference. */
    static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, y, yOff + i).add(FloatVector.fromArray(S, x, xOff + i).mul(alpha))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Rows: softmax and cross-entropy. Rows are often short (10 classes), so tails are masked vectors.

    /** Max of one row with masked tail lanes. */
    private static float rowMax(float[] x, int off, int cols) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> m = S.indexInRange(j, cols);
            acc = acc.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, x, off + j, m), m);
        }
        return acc.reduceLanes(VectorOperators.MAX);
    }

    /**
     * {@code Σ_j exp(x[j] - mx)} for one row, in lanes then lanes left to right; when {@code store} is
     * non-null the exponentials are also written there at {@code storeOff}.
     */
    private static float rowExpSum(float[] x, int off, int cols, float mx, float[] store, int storeOff, float[] lanes) {
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> m = S.indexInRange(j, cols);
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, off + j, m).sub(mx));
            if (store != null) {
                e.intoArray(store, storeOff + j, m);
            }
            acc = acc.add(e, m);
        }
        return lanesInOrder(acc, lanes);
    }

    /** Stable row softmax / log-softmax; {@code out} may be {@code in} at the same offset. */
    static void softmaxRows(float[] in, int inOff, float[] out, int outOff, int rows, int cols, boolean log) {
        float[] lanes = new float[L];
        for (int r = 0; r < rows; r++) {
            int ri = inOff + r * cols;
            int ro = outOff + r * cols;
            float mx = rowMax(in, ri, cols);
            if (log) {
                float lse = (float) Math.log(rowExpSum(in, ri, cols, mx, null, 0, lanes));
                for (int j = 0; j < cols; j += L) {
                    VectorMask<Float> m = S.indexInRange(j, cols);
                    FloatVector.fromArray(S, in, ri + j, m).sub(mx).sub(lse).intoArray(out, ro + j, m);
                }
            } else {
                float inv = 1f / rowExpSum(in, ri, cols, mx, out, ro, lanes);
                for (int j = 0; j < cols; j += L) {
                    VectorMask<Float> m = S.indexInRange(j, cols);
                    FloatVector.fromArray(S, out, ro + j, m).mul(inv).intoArray(out, ro + j, m);
                }
            }
        }
    }

    /**
     * Fused softmax cross-entropy; see {@link dev.linea.backend.Backend#crossEntropyRows}. Targets must
     * have been validated by the caller. {@code gradOut} may be {@code logits} at the same offset.
     */
    static float crossEntropyRows(float[] logits, int off, int rows, int cols, float[] targets, int tOff,
                                  float[] gradOut, int gOff, float gradScale) {
        float[] lanes = new float[L];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int ri = off + r * cols;
            int t = (int) targets[tOff + r];
            float xt = logits[ri + t]; // read before gradOut may overwrite it
            float mx = rowMax(logits, ri, cols);
            float s = rowExpSum(logits, ri, cols, mx, null, 0, lanes);
            total += (double) mx + Math.log(s) - xt;
            if (gradOut != null) {
                int go = gOff + r * cols;
                float inv = 1f / s;
                float pt = VectorMath.exp(xt - mx) * inv;
                for (int j = 0; j < cols; j += L) {
                    VectorMask<Float> m = S.indexInRange(j, cols);
                    VectorMath.exp(FloatVector.fromArray(S, logits, ri + j, m).sub(mx))
                            .mul(inv).mul(gradScale).intoArray(gradOut, go + j, m);
                }
                gradOut[go + t] = gradScale * (pt - 1f);
            }
        }
        return (float) total;
    }

    // ---------------------------------------------------------------------------------------------
    // Optimizer

    /**
     * One Adam step, same operations in the same order as {@link ScalarBackend#adamUpdate} (PyTorch's
     * form: {@code p -= (lr/bc1)·m / (sqrt(v)/sqrt(bc2) + eps)}), hence bitwise equal to it.
     */
    static void adamUpdate(float[] p, int pOff, float[] g, int gOff, float[] m, float[] v, int sOff, int n,
                           float lr, float beta1, float beta2, float eps, float bc1, float bc2) {
        float stepSize = lr / bc1;
        float sqrtBc2 = (float) Math.sqrt(bc2);
        float oneMinusB1 = 1 - beta1;
        float oneMinusB2 = 1 - beta2;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            int k = sOff + i;
            FloatVector gi = FloatVector.fromArray(S, g, gOff + i);
            FloatVector mi = FloatVector.fromArray(S, m, k).mul(beta1).add(gi.mul(oneMinusB1));
            FloatVector vi = FloatVector.fromArray(S, v, k).mul(beta2).add(gi.mul(oneMinusB2).mul(gi));
            mi.intoArray(m, k);
            vi.intoArray(v, k);
            FloatVector denom = vi.sqrt().div(sqrtBc2).add(eps);
            FloatVector.fromArray(S, p, pOff + i).sub(mi.mul(stepSize).div(denom)).intoArray(p, pOff + i);
        }
        for (; i < n; i++) {
            int k = sOff + i;
            float gk = g[gOff + i];
            m[k] = beta1 * m[k] + oneMinusB1 * gk;
            v[k] = beta2 * v[k] + oneMinusB2 * gk * gk;
            p[pOff + i] -= stepSize * m[k] / ((float) Math.sqrt(v[k]) / sqrtBc2 + eps);
        }
    }
}
