package dev.linea.nn;

import dev.linea.GradMode;
import dev.linea.Tensor;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finite-difference gradient check for tests: compares the autograd gradient of
 * {@code L = Σ f(inputs) ⊙ R} (R a fixed random tensor) with double-precision central differences
 * {@code (L(x + ε) − L(x − ε)) / 2ε}, ε = 1e-2, for every element of every input that requires grad.
 * Forward passes run in float32; the tolerance is {@code atol + rtol·|numeric|} with atol = rtol = 5e-3.
 */
final class GradCheck {
    static final double EPS = 1e-2, ATOL = 5e-3, RTOL = 5e-3;

    private GradCheck() {}

    static void check(String what, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            t.setGrad(null);
        }
        Tensor out = f.apply(List.of(inputs));
        Tensor r = Tensor.randn(new dev.linea.Generator(99), out.shape());
        out.mul(r).sum().backward();
        for (int idx = 0; idx < inputs.length; idx++) {
            Tensor in = inputs[idx];
            if (!in.requiresGrad()) {
                continue;
            }
            if (in.grad() == null) {
                fail(what + ": input " + idx + " got no gradient");
            }
            float[] analytic = in.grad().toFloatArray();
            float[] data = in.storage();
            int off = in.storageOffset();
            for (int i = 0; i < analytic.length; i++) {
                float saved = data[off + i];
                double plus, minus;
                try (var g = GradMode.noGrad()) {
                    data[off + i] = (float) (saved + EPS);
                    plus = weighted(f.apply(List.of(inputs)), r);
                    data[off + i] = (float) (saved - EPS);
                    minus = weighted(f.apply(List.of(inputs)), r);
                } finally {
                    data[off + i] = saved;
                }
                double numeric = (plus - minus) / (2 * EPS);
                if (Math.abs(numeric - analytic[i]) > ATOL + RTOL * Math.abs(numeric)) {
                    fail(what + ": input " + idx + " element " + i + ": analytic " + analytic[i] + ", numeric " + numeric);
                }
            }
        }
    }

    private static double weighted(Tensor out, Tensor r) {
        float[] a = out.toFloatArray(), b = r.toFloatArray();
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
