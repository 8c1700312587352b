package dev.linea.autograd;

import dev.linea.Tensor;
import dev.linea.internal.TensorAccess;
import dev.linea.internal.Trace;

/**
 * The extension point of autograd, like {@code torch.autograd.Function}: code outside this package (the
 * fused kernels of {@code nn}, for example) computes an output with its own forward and attaches the
 * matching local backward rule here.
 *
 * <pre>{@code
 * Tensor out = ...forward...;
 * return Autograd.record("MyOpBackward", out, g -> new Tensor[] {g.mul(2)}, input);
 * }</pre>
 */
public final class Autograd {
    private Autograd() {}

    /**
     * A local backward rule: given dL/d(output), returns dL/d(input) for each input (null where not
     * needed). A gradient may have the broadcast shape of the input; it is summed back to the input's shape.
     */
    @FunctionalInterface
    public interface Rule {
        Tensor[] apply(Tensor gradOutput);
    }

    /**
     * Attaches {@code rule} to {@code output} when grad mode is on and any input requires grad; otherwise
     * returns {@code output} unchanged. {@code output} must be a fresh tensor made by the caller. A forward
     * pass being traced (for an export) sees the op here, in grad mode or not.
     */
    public static Tensor record(String name, Tensor output, Rule rule, Tensor... inputs) {
        Trace.op(name, output, inputs);
        if (!GradMode.isEnabled() || !output.dtype().isFloatingPoint()) {
            return output; // integer and bool results carry no gradient, as in PyTorch
        }
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad()) {
                TensorAccess.setGradFn(output, new Node(name, output, inputs, rule));
                return output;
            }
        }
        return output;
    }
}
