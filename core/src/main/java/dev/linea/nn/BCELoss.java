package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;
import dev.linea.nn.functional.Reduction;

/**
 * Binary cross-entropy of probabilities: {@code -(y·log x + (1-y)·log(1-x))} per element, with each log
 * clamped at -100 as in PyTorch. Input values must lie in [0, 1]; for logits use {@link BCEWithLogitsLoss}.
 */
public class BCELoss extends Loss {
    public BCELoss() {
        this(Reduction.MEAN);
    }

    public BCELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropy(input, target, reduction);
    }
}
