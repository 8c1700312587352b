package dev.linea;

import dev.linea.autograd.GradCheck;
import dev.linea.internal.Shape;

import java.util.List;
import java.util.function.Function;

/** Shared helpers for gradient tests: seeded inputs, and gradchecks with the float32 defaults or given options. */
public final class GradTesting {
    private GradTesting() {}

    /** Standard-normal values from a private generator (independent of the global seed), requiring grad. */
    public static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).requiresGrad(true);
    }

    /** Uniform values in [lo, hi), requiring grad. */
    public static Tensor uniform(long seed, float lo, float hi, int... shape) {
        Tensor u = Tensor.rand(new Generator(seed), shape);
        return Tensor.wrap(u.mul(hi - lo).add(lo).toFloatArray(), shape).requiresGrad(true);
    }

    /** Normal values pushed at least {@code margin} away from {@code kink} (for relu, abs, clamp...). */
    public static Tensor awayFrom(long seed, float kink, float margin, int... shape) {
        float[] v = Tensor.randn(new Generator(seed), shape).toFloatArray();
        for (int i = 0; i < v.length; i++) {
            float d = v[i] - kink;
            if (Math.abs(d) < margin) {
                v[i] = kink + (d < 0 ? -margin : margin) - d * 0.5f;
            }
        }
        return Tensor.wrap(v, shape).requiresGrad(true);
    }

    /** Values with no ties, all distinct by at least {@code gap} (for max/min), requiring grad. */
    public static Tensor distinct(long seed, float gap, int... shape) {
        int n = Shape.numel(shape);
        Generator g = new Generator(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2f) * gap;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = g.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.wrap(v, shape).requiresGrad(true);
    }

    /** A constant (not requiring grad) copy. */
    public static Tensor constant(Tensor t) {
        return Tensor.wrap(t.toFloatArray(), t.shape());
    }

    /**
     * {@link GradCheck#gradcheck} with {@code options}; a failure's message starts with {@code what}, so a test
     * that checks several functions says which one failed.
     */
    public static void check(String what, GradCheck.Options options, Function<List<Tensor>, Tensor> f,
                             Tensor... inputs) {
        try {
            GradCheck.gradcheck(f, List.of(inputs), options);
        } catch (AssertionError e) {
            throw new AssertionError(what + ": " + e.getMessage(), e);
        }
    }

    /** {@link GradCheck#gradcheck} with default float32 tolerances, by random projection and full Jacobian. */
    public static void check(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        GradCheck.gradcheck(f, List.of(inputs), GradCheck.Options.defaults());
        GradCheck.gradcheck(f, List.of(inputs), GradCheck.Options.defaults().fullJacobian(true));
    }
}
