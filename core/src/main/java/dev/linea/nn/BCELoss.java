package dev.linea.nn;

import dev.linea.Autograd;
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
        // Fused, as PyTorch's binary_cross_entropy: composing log, clamp and mul gives 0/0 = NaN gradients
        // where an input is exactly 0 or 1 (e.g. sigmoid of a logit above ~17 rounds to 1.0f).
        float[] y = target.toFloatArray();
        float[] per = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            double logX = Math.max(Math.log(v[i]), -100), log1mX = Math.max(Math.log1p(-v[i]), -100);
            per[i] = (float) -(y[i] * logX + (1 - y[i]) * log1mX);
        }
        int[] shape = input.shape();
        Tensor perElement = Autograd.record("BinaryCrossEntropyBackward0", Tensor.wrap(per, shape), g -> {
            float[] gv = g.toFloatArray();
            float[] dx = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                dx[i] = (float) (gv[i] * (v[i] - y[i]) / Math.max((double) v[i] * (1 - v[i]), 1e-12));
            }
            return new Tensor[] {Tensor.wrap(dx, shape)};
        }, input);
        return reduce(perElement);
    }
}
