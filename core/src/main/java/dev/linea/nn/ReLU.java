package dev.linea.nn;

import dev.linea.nn.functional.F;
import dev.linea.Tensor;

/** Rectified linear unit, {@code max(x, 0)}, elementwise; any shape. */
public class ReLU extends Module {

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.relu(input));
    }

}
