package dev.linea.nn;

import dev.linea.Tensor;

import java.util.List;
import java.util.function.Function;

/**
 * The layer tests' gradient check: {@link dev.linea.autograd.GradCheck} with a label for the failure message and
 * the tolerances these layers need (eps 1e-2, atol = rtol = 5e-3: convolutions sum many float32
 * products, so their finite differences are noisier than those of single ops).
 */
final class GradCheck {
    private static final dev.linea.autograd.GradCheck.Options OPTIONS =
            dev.linea.autograd.GradCheck.Options.defaults().eps(1e-2).atol(5e-3).rtol(5e-3);

    private GradCheck() {}

    static void check(String what, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        try {
            dev.linea.autograd.GradCheck.gradcheck(f, List.of(inputs), OPTIONS);
        } catch (AssertionError e) {
            throw new AssertionError(what + ": " + e.getMessage(), e);
        }
    }
}
