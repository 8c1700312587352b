package dev.linea.nn;

import dev.linea.nn.functional.F;
import dev.linea.Tensor;

/** Hyperbolic tangent, elementwise; any shape. */
public class Tanh extends Module {

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.tanh(input));
    }

}
