package dev.linea.nn;

import dev.linea.Tensor;

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
        checkSameShape("BCELoss", input, target);
        float[] v = input.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0 && v[i] <= 1)) {
                throw new IllegalArgumentException("BCELoss: all input values must be between 0 and 1, but element "
                        + i + " is " + v[i] + " (for logits use BCEWithLogitsLoss)");
            }
        }
        Tensor logX = input.log().clampMin(-100f);
        Tensor log1mX = input.rsub(1f).log().clampMin(-100f);
        return reduce(target.mul(logX).add(target.rsub(1f).mul(log1mX)).neg());
    }
}
