package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;
import dev.linea.nn.functional.Reduction;

/**
 * Sigmoid and binary cross-entropy in one stable formula:
 * {@code max(x,0) - x·y + log(1 + e^-|x|)} per element (with {@code posWeight} p:
 * {@code (1-y)·x + (1+(p-1)·y)·(log(1+e^-|x|) + max(-x,0))}). Input and target have the same shape.
 */
public class BCEWithLogitsLoss extends Loss {
    private final Tensor posWeight;

    public BCEWithLogitsLoss() {
        this(Reduction.MEAN, null);
    }

    public BCEWithLogitsLoss(Reduction reduction, Tensor posWeight) {
        super(reduction);
        this.posWeight = posWeight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropyWithLogits(input, target, posWeight, reduction);
    }
}
