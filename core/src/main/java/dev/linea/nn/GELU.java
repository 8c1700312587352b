package dev.linea.nn;

import dev.linea.nn.functional.F;
import dev.linea.Tensor;

/**
 * Gaussian error linear unit, elementwise on any shape, as {@code torch.nn.GELU(approximate)}: exact
 * {@code x·Φ(x)} by default, or PyTorch's tanh approximation with {@code "tanh"} ({@link Tensor#gelu(String)}).
 */
public class GELU extends Module {
    public final String approximate;

    public GELU() {
        this("none");
    }

    /** {@code approximate} is {@code "none"} or {@code "tanh"}. */
    public GELU(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate)) {
            throw new IllegalArgumentException("approximate argument must be either none or tanh.");
        }
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(approximate.equals("none") ? F.gelu(input) : F.gelu(input, approximate));
    }

    @Override
    public String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
