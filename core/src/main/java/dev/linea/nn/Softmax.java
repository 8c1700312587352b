package dev.linea.nn;

import dev.linea.nn.functional.F;
import dev.linea.Tensor;

/** Softmax along {@code dim}: {@code exp(x_i) / Σ_j exp(x_j)}; output has the input's shape, rows summing to 1. */
public class Softmax extends Module {
    public final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.softmax(input, dim));
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim;
    }
}
