package dev.linea.autograd;


import dev.linea.Generator;
import dev.linea.internal.Shape;
import dev.linea.internal.TensorAccess;
import dev.linea.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Numerical gradient checking, like {@code torch.autograd.gradcheck}: compares the gradients that
 * autograd computes for a function with central finite differences.
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(3, 4).requiresGrad(true);
 * Tensor w = Tensor.randn(4, 2).requiresGrad(true);
 * GradCheck.gradcheck(in -> in.get(0).matmul(in.get(1)).tanh(), x, w);   // throws GradCheck.Failure on mismatch
 * }</pre>
 *
 * <h2>Method</h2>
 * The output {@code y = f(inputs)} is reduced to a scalar by a fixed random projection
 * {@code L = Σ y_k·r_k} ({@code r} uniform in [-1, 1] from a generator seeded by {@link Options#seed}),
 * and the analytic gradient is {@code y.backward(r)}. The numeric gradient perturbs each element of
 * each input that requires grad, in its storage, by {@code ±eps}:
 * {@code dL/dx_i ≈ (L(x_i + eps) - L(x_i - eps)) / (x_i⁺ - x_i⁻)}, where the denominator is the
 * difference of the two perturbed float values actually stored (so float rounding of the perturbation
 * does not bias the estimate) and {@code L} is accumulated in double precision. With
 * {@link Options#fullJacobian(boolean)} every Jacobian entry {@code ∂y_k/∂x_i} is compared instead
 * (one backward per output element).
 *
 * <h2>Tolerances</h2>
 * Linea computes in float32, so only the perturbation and the accumulation can be in double. The
 * defaults suit float32: {@code eps = 1e-2} (truncation error ~eps²·f'''/6 ≈ 2e-5·f''', rounding
 * error ~1e-7·|y|/eps ≈ 1e-5·|y|), and an element passes when
 * {@code |analytic - numeric| <= atol + rtol·|numeric|} with {@code atol = 1e-3}, {@code rtol = 1e-2}.
 * Keep inputs further than {@code eps} from kinks (relu at 0, abs at 0, clamp bounds, ties of max).
 *
 * <h2>Other checks</h2>
 * Inputs that do not require grad must receive no gradient; every input that requires grad must
 * receive a gradient of its own shape (a missing gradient counts as zero, as when the output does
 * not depend on that input). Input gradients present before the check are restored afterwards.
 * Inputs must not be expanded views (stride 0), since one storage element would then stand for
 * several elements; {@code f} must be deterministic (no dropout in training mode).
 */
public final class GradCheck {
    private GradCheck() {}

    /** Default finite-difference step for float32 inputs. */
    public static final double DEFAULT_EPS = 1e-2;
    /** Default absolute tolerance for float32. */
    public static final double DEFAULT_ATOL = 1e-3;
    /** Default relative tolerance for float32. */
    public static final double DEFAULT_RTOL = 1e-2;

    /** Settings of a check; immutable, with withers. */
    public record Options(double eps, double atol, double rtol, long seed, boolean fullJacobian) {
        /** The float32 defaults: eps 1e-2, atol 1e-3, rtol 1e-2, seed 42, random projection. */
        public static Options defaults() {
            return new Options(DEFAULT_EPS, DEFAULT_ATOL, DEFAULT_RTOL, 42, false);
        }

        public Options eps(double v) {
            return new Options(v, atol, rtol, seed, fullJacobian);
        }

        public Options atol(double v) {
            return new Options(eps, v, rtol, seed, fullJacobian);
        }

        public Options rtol(double v) {
            return new Options(eps, atol, v, seed, fullJacobian);
        }

        public Options seed(long v) {
            return new Options(eps, atol, rtol, v, fullJacobian);
        }

        /** Compare every Jacobian entry instead of one random projection. */
        public Options fullJacobian(boolean v) {
            return new Options(eps, atol, rtol, seed, v);
        }
    }

    /**
     * The outcome of a check: whether it passed, a message, and the worst element (largest
     * {@code |analytic - numeric| / (atol + rtol·|numeric|)}): its input index, element index (row-major
     * within the input), output index (-1 with a random projection), and both values.
     */
    public record Result(boolean passed, String message, int inputIndex, int elementIndex, int outputIndex,
                         double analytic, double numeric, double worstRatio, int elementsChecked) {}

    /** Thrown by {@link #gradcheck} when the gradients disagree; the message names the worst element. */
    public static final class Failure extends AssertionError {
        private final transient Result result;

        Failure(Result result) {
            super(result.message());
            this.result = result;
        }

        /** The failing result. */
        public Result result() {
            return result;
        }
    }

    /** Checks {@code f} at {@code inputs} with the default options; throws {@link Failure} on mismatch. */
    public static Result gradcheck(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return gradcheck(f, List.of(inputs), Options.defaults());
    }

    /** Checks {@code f} at {@code inputs}; throws {@link Failure} on mismatch. */
    public static Result gradcheck(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Options options) {
        Result r = check(f, inputs, options);
        if (!r.passed()) {
            throw new Failure(r);
        }
        return r;
    }

    /** Runs the check and reports the result without throwing on a mismatch. */
    public static Result check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Options options) {
        if (!(options.eps() > 0)) {
            throw new IllegalArgumentException("gradcheck: eps must be positive, got " + options.eps());
        }
        boolean any = false;
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = inputs.get(i);
            for (int s : t.strides()) {
                if (s == 0 && t.numel() > 1) {
                    throw new IllegalArgumentException("gradcheck: input " + i + " (shape " + Shape.str(t.shape())
                            + ") is an expanded view (stride 0); pass a contiguous copy");
                }
            }
            any |= t.requiresGrad();
        }
        if (!any) {
            throw new IllegalArgumentException("gradcheck: no input requires grad");
        }
        Tensor[] saved = new Tensor[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            saved[i] = inputs.get(i).grad();
            if (inputs.get(i).isLeaf()) {
                inputs.get(i).setGrad(null);
            }
        }
        try (var scope = GradMode.enableGrad()) {
            return options.fullJacobian() ? jacobian(f, inputs, options) : projected(f, inputs, options);
        } finally {
            for (int i = 0; i < inputs.size(); i++) {
                if (inputs.get(i).isLeaf()) {
                    inputs.get(i).setGrad(saved[i]);
                }
            }
        }
    }

    private static Result projected(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Options o) {
        Tensor out = f.apply(inputs);
        if (!out.requiresGrad()) {
            return fail("gradcheck: the output does not require grad (no recorded operation reaches an input)");
        }
        Generator gen = new Generator(o.seed());
        float[] r = new float[out.numel()];
        for (int i = 0; i < r.length; i++) {
            r[i] = gen.nextFloat() * 2 - 1;
        }
        out.backward(Tensor.wrap(r, out.shape()));
        Result bad = checkGradientPresence(inputs);
        if (bad != null) {
            return bad;
        }
        Worst w = new Worst(o);
        for (int i = 0; i < inputs.size(); i++) {
            Tensor x = inputs.get(i);
            if (!x.requiresGrad()) {
                continue;
            }
            float[] analytic = x.grad() == null ? new float[x.numel()] : x.grad().toFloatArray();
            int[] pos = storagePositions(x);
            for (int e = 0; e < pos.length; e++) {
                float[] data = TensorAccess.data(x);
                float orig = data[pos[e]];
                float plus = (float) (orig + o.eps()), minus = (float) (orig - o.eps());
                data[pos[e]] = plus;
                double lp = project(f, inputs, r);
                data[pos[e]] = minus;
                double lm = project(f, inputs, r);
                data[pos[e]] = orig;
                double numeric = (lp - lm) / ((double) plus - (double) minus);
                w.offer(i, e, -1, analytic[e], numeric);
            }
        }
        return w.result("random projection");
    }

    private static Result jacobian(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Options o) {
        Tensor out = f.apply(inputs);
        if (!out.requiresGrad()) {
            return fail("gradcheck: the output does not require grad (no recorded operation reaches an input)");
        }
        int m = out.numel();
        List<float[][]> analytic = new ArrayList<>(); // [input][output][element]
        for (Tensor x : inputs) {
            analytic.add(x.requiresGrad() ? new float[m][] : null);
        }
        for (int k = 0; k < m; k++) {
            float[] onehot = new float[m];
            onehot[k] = 1;
            for (Tensor x : inputs) {
                if (x.isLeaf()) {
                    x.setGrad(null);
                }
            }
            out.backward(Tensor.wrap(onehot, out.shape()), true);
            Result bad = checkGradientPresence(inputs);
            if (bad != null) {
                return bad;
            }
            for (int i = 0; i < inputs.size(); i++) {
                Tensor x = inputs.get(i);
                if (x.requiresGrad()) {
                    analytic.get(i)[k] = x.grad() == null ? new float[x.numel()] : x.grad().toFloatArray();
                }
            }
        }
        Worst w = new Worst(o);
        for (int i = 0; i < inputs.size(); i++) {
            Tensor x = inputs.get(i);
            if (!x.requiresGrad()) {
                continue;
            }
            int[] pos = storagePositions(x);
            for (int e = 0; e < pos.length; e++) {
                float[] data = TensorAccess.data(x);
                float orig = data[pos[e]];
                float plus = (float) (orig + o.eps()), minus = (float) (orig - o.eps());
                data[pos[e]] = plus;
                float[] yp = evaluate(f, inputs);
                data[pos[e]] = minus;
                float[] ym = evaluate(f, inputs);
                data[pos[e]] = orig;
                double h = (double) plus - (double) minus;
                for (int k = 0; k < m; k++) {
                    w.offer(i, e, k, analytic.get(i)[k][e], ((double) yp[k] - (double) ym[k]) / h);
                }
            }
        }
        return w.result("full Jacobian");
    }

    /** Inputs not requiring grad must have no gradient; the others a gradient of their own shape. */
    private static Result checkGradientPresence(List<Tensor> inputs) {
        for (int i = 0; i < inputs.size(); i++) {
            Tensor x = inputs.get(i);
            if (!x.requiresGrad() && x.grad() != null) {
                return fail("gradcheck: input " + i + " does not require grad but received a gradient");
            }
            if (x.requiresGrad() && x.grad() != null && !java.util.Arrays.equals(x.grad().shape(), x.shape())) {
                return fail("gradcheck: input " + i + " has shape " + Shape.str(x.shape()) + " but its gradient has shape "
                        + Shape.str(x.grad().shape()));
            }
            if (x.requiresGrad() && !x.isLeaf()) {
                return fail("gradcheck: input " + i + " is not a leaf (produced by " + x.gradFnName()
                        + "); pass leaf tensors");
            }
        }
        return null;
    }

    private static double project(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, float[] r) {
        float[] y = evaluate(f, inputs);
        double s = 0;
        for (int k = 0; k < y.length; k++) {
            s += (double) y[k] * r[k];
        }
        return s;
    }

    private static float[] evaluate(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        try (var scope = GradMode.noGrad()) {
            return f.apply(inputs).toFloatArray();
        }
    }

    /** The storage index of each element, in row-major order. */
    private static int[] storagePositions(Tensor x) {
        int[] shape = x.shape(), strides = x.strides();
        int n = x.numel();
        int[] pos = new int[n];
        int[] idx = new int[shape.length];
        for (int e = 0; e < n; e++) {
            int p = TensorAccess.offset(x);
            for (int d = 0; d < shape.length; d++) {
                p += idx[d] * strides[d];
            }
            pos[e] = p;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return pos;
    }

    private static Result fail(String message) {
        return new Result(false, message, -1, -1, -1, Double.NaN, Double.NaN, Double.POSITIVE_INFINITY, 0);
    }

    /** Tracks the element with the largest error relative to its tolerance. */
    private static final class Worst {
        private final Options o;
        int input = -1, element = -1, output = -1, count;
        double analytic, numeric, ratio = -1;

        Worst(Options o) {
            this.o = o;
        }

        void offer(int i, int e, int k, double a, double num) {
            count++;
            double err = Math.abs(a - num);
            double ratio = err / (o.atol() + o.rtol() * Math.abs(num));
            if (Double.isNaN(ratio)) {
                ratio = Double.POSITIVE_INFINITY;
            }
            if (ratio > this.ratio) {
                this.ratio = ratio;
                input = i;
                element = e;
                output = k;
                analytic = a;
                numeric = num;
            }
        }

        Result result(String method) {
            boolean ok = ratio <= 1;
            String where = "input " + input + ", element " + element + (output >= 0 ? ", output " + output : "");
            String msg = String.format(Locale.ROOT,
                    "gradcheck %s (%s, %d elements, eps=%g, atol=%g, rtol=%g): worst at %s: analytic %.8g vs numeric %.8g "
                            + "(|diff| %.3g, %.3g of tolerance)",
                    ok ? "passed" : "FAILED", method, count, o.eps(), o.atol(), o.rtol(), where, analytic, numeric,
                    Math.abs(analytic - numeric), ratio);
            return new Result(ok, msg, input, element, output, analytic, numeric, ratio, count);
        }
    }
}
