package dev.linea.nn;

import dev.linea.nn.functional.F;
import dev.linea.Tensor;

/** Gaussian error linear unit, exact form {@code x·Φ(x)}, elementwise; any shape. */
public class GELU extends Module {

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.gelu(input));
    }

    @Override
    public String extraRepr() {
        return "approximate='none'";
    }
}
