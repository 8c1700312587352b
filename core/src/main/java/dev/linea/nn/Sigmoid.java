package dev.linea.nn;

import dev.linea.nn.functional.F;
import dev.linea.Tensor;

/** Logistic sigmoid, {@code 1 / (1 + e^-x)}, elementwise; any shape. */
public class Sigmoid extends Module {

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.sigmoid(input));
    }

}
