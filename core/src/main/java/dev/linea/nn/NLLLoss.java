package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;
import dev.linea.nn.functional.Reduction;

/**
 * Negative log-likelihood of log-probabilities (N, C) or (N, C, d1, ...) (e.g. from {@link LogSoftmax})
 * against class indices (N) or (N, d1, ...): {@code -weight[t]·input[i, t]}, reduced (by default the mean,
 * divided by the summed weights of the targets not ignored).
 */
public class NLLLoss extends Loss {
    private final Tensor weight;
    private final int ignoreIndex;

    public NLLLoss() {
        this(Reduction.MEAN);
    }

    public NLLLoss(Reduction reduction) {
        this(null, F.DEFAULT_IGNORE_INDEX, reduction);
    }

    /**
     * PyTorch's full constructor: {@code weight} (C) or null rescales each class (a buffer, in the state
     * dict as {@code weight}); targets equal to {@code ignoreIndex} (default -100) are skipped.
     */
    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        super(reduction);
        this.weight = weight == null ? null : registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.nllLoss(input, target, weight, ignoreIndex, reduction);
    }
}
