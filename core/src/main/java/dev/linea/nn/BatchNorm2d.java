package dev.linea.nn;

import dev.linea.internal.Pairs;

import dev.linea.Tensor;

/**
 * Batch normalisation over (N, C, H, W), like {@code torch.nn.BatchNorm2d}; statistics per channel C
 * over N, H and W. See {@link BatchNorm} for the formulas, buffers and modes.
 */
public class BatchNorm2d extends BatchNorm {

    /** eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInput(Tensor input) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException("BatchNorm2d: expected 4D input (got " + input.dim() + "D input of shape "
                    + Pairs.shape(input.shape()) + ")");
        }
    }
}
