package dev.linea.nn;

import dev.linea.nn.functional.F;
import dev.linea.Tensor;

/** Log-softmax along {@code dim}: {@code x_i - log Σ_j exp(x_j)}; pair with {@link NLLLoss}. */
public class LogSoftmax extends Module {
    public final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.logSoftmax(input, dim));
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim;
    }
}
