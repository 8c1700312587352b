package dev.linea.nn;

import dev.linea.Tensor;

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
        checkSameShape("BCEWithLogitsLoss", input, target);
        Tensor softplusNegAbs = input.abs().neg().exp().add(1f).log();
        if (posWeight == null) {
            return reduce(input.clampMin(0f).sub(input.mul(target)).add(softplusNegAbs));
        }
        Tensor logWeight = posWeight.sub(1f).mul(target).add(1f);
        Tensor logSigmoidNeg = softplusNegAbs.add(input.neg().clampMin(0f));
        return reduce(target.rsub(1f).mul(input).add(logWeight.mul(logSigmoidNeg)));
    }
}
