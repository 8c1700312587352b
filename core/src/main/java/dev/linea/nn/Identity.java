package dev.linea.nn;

import dev.linea.Tensor;

/** Returns its input unchanged (a placeholder layer). */
public class Identity extends Module {

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(input);
    }

}
