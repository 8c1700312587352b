package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;
import dev.linea.nn.functional.Reduction;

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
        return F.mseLoss(input, target, reduction);
    }
}
