package dev.linea.nn;

import dev.linea.Tensor;

/** Mean squared error: {@code (x - y)²} per element, then reduced. Input and target have the same shape. */
public class MSELoss extends Loss {
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        checkSameShape("MSELoss", input, target);
        Tensor d = input.sub(target);
        return reduce(d.mul(d));
    }
}
