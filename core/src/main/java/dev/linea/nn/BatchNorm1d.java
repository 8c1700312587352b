package dev.linea.nn;

import dev.linea.internal.Pairs;

import dev.linea.Tensor;

/**
 * Batch normalisation over (N, C) or (N, C, L), like {@code torch.nn.BatchNorm1d}; statistics per
 * feature C over N (and L). See {@link BatchNorm} for the formulas, buffers and modes.
 */
public class BatchNorm1d extends BatchNorm {

    /** eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInput(Tensor input) {
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException("BatchNorm1d: expected 2D or 3D input (got " + input.dim() + "D input of shape "
                    + Pairs.shape(input.shape()) + ")");
        }
    }
}
