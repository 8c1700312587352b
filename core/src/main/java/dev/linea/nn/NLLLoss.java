package dev.linea.nn;

import dev.linea.Autograd;
import dev.linea.Tensor;

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
        int[] shape = ClassTargets.checkLogits("NLLLoss", input);
        int n = shape[0], c = shape[1];
        int[] t = ClassTargets.indices("NLLLoss", target, n, c);
        float[] x = input.reshape(n, c).toFloatArray();
        float[] per = new float[n];
        for (int i = 0; i < n; i++) {
            per[i] = -x[i * c + t[i]];
        }
        Tensor perRow = Autograd.record("NllLossBackward0", Tensor.wrap(per, input.dim() == 1 ? new int[0] : new int[] {n}), g -> {
            float[] gv = g.toFloatArray();
            float[] dx = new float[n * c];
            for (int i = 0; i < n; i++) {
                dx[i * c + t[i]] = -gv[i];
            }
            return new Tensor[] {Tensor.wrap(dx, input.shape())};
        }, input);
        return reduce(perRow);
    }
}
