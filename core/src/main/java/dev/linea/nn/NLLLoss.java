package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;
import dev.linea.nn.functional.Reduction;

/**
 * Negative log-likelihood of log-probabilities (N, C) (e.g. from {@link LogSoftmax}) against class
 * indices (N): {@code -input[i, target[i]]}, reduced (mean over the batch by default).
 */
public class NLLLoss extends Loss {
    public NLLLoss() {
        this(Reduction.MEAN);
    }

    public NLLLoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.nllLoss(input, target, reduction);
    }
}
