package dev.linea.nn;

import dev.linea.internal.PyRepr;

import dev.linea.internal.Pairs;
import dev.linea.nn.functional.F;

import dev.linea.DType;
import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.nn.init.Init;

/**
 * The shared part of {@link BatchNorm1d} and {@link BatchNorm2d} (PyTorch's {@code _BatchNorm}):
 * per-channel normalisation {@code y = (x − mean)/√(var + eps)·weight + bias} over input (N, C, *).
 *
 * <p>In training the mean and biased variance of the batch (over N and the trailing dimensions) are used,
 * and the buffers move towards them: {@code running_mean = (1 − momentum)·running_mean + momentum·mean},
 * likewise {@code running_var} with the unbiased variance; {@code num_batches_tracked} counts the steps
 * (with a null momentum the running statistics are the cumulative average, factor 1/num_batches_tracked).
 * In evaluation the running statistics are used. Without {@code trackRunningStats} there are no buffers and
 * batch statistics are always used. Parameters weight (C, ones) and bias (C, zeros) exist when
 * {@code affine}; 2·C parameters. Buffer names match PyTorch's, so state dicts move between the two.
 */
public abstract class BatchNorm extends Module {
    public final int numFeatures;
    public final double eps;
    /** The running-average factor, or null for a cumulative average. */
    public final Double momentum;
    public final boolean affine;
    public final boolean trackRunningStats;
    public final Parameter weight;
    public final Parameter bias;
    /** Buffers (null without trackRunningStats): running_mean (C), running_var (C), num_batches_tracked (0-d). */
    public final Tensor runningMean, runningVar, numBatchesTracked;

    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs a positive num_features, got " + numFeatures);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": eps must be positive, got " + eps);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        this.weight = affine ? registerParameter("weight", new Parameter(Tensor.zeros(numFeatures))) : null;
        this.bias = affine ? registerParameter("bias", new Parameter(Tensor.zeros(numFeatures))) : null;
        if (trackRunningStats) {
            runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
            runningVar = registerBuffer("running_var", Tensor.zeros(numFeatures));
            numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros(new int[0], DType.INT64)); // int64, as PyTorch's
        } else {
            runningMean = runningVar = numBatchesTracked = null;
        }
        resetParameters();
    }

    /** Throws unless {@code input} has a rank this layer accepts. */
    protected abstract void checkInput(Tensor input);

    @Override
    public Tensor forward(Tensor input) {
        checkInput(input);
        if (input.size(1) != numFeatures) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "(" + numFeatures + "): input "
                    + Pairs.shape(input.shape()) + " has " + input.size(1) + " channels (dimension 1), expected " + numFeatures);
        }
        double factor = momentum == null ? 0.0 : momentum;
        if (isTraining() && trackRunningStats) {
            try (var scope = GradMode.noGrad()) {
                numBatchesTracked.add_(Tensor.ofLongs(1).reshape());
            }
            if (momentum == null) {
                factor = 1.0 / numBatchesTracked.item();
            }
        }
        boolean useBatchStats = isTraining() || !trackRunningStats;
        boolean passBuffers = !isTraining() || trackRunningStats;
        return recordOutput(F.batchNorm(input, passBuffers ? runningMean : null, passBuffers ? runningVar : null,
                weight, bias, useBatchStats, factor, eps));
    }

    /** Resets running_mean to 0, running_var to 1 and num_batches_tracked to 0 (nothing without trackRunningStats). */
    public void resetRunningStats() {
        if (trackRunningStats) {
            Init.zeros_(runningMean);
            Init.ones_(runningVar);
            Init.zeros_(numBatchesTracked);
        }
    }

    /**
     * As PyTorch's {@code reset_parameters}: {@link #resetRunningStats()}, then weight 1 and bias 0 when
     * {@code affine}. The constructor calls it (so a subclass's override runs before the subclass's own fields
     * are set).
     */
    public void resetParameters() {
        resetRunningStats();
        if (affine) {
            Init.ones_(weight);
            Init.zeros_(bias);
        }
    }

    /** {@link #resetParameters()}: BatchNorm's initialisation draws nothing. */
    @Override
    public void resetParameters(dev.linea.Generator gen) {
        java.util.Objects.requireNonNull(gen, "generator");
        resetParameters();
    }

    @Override
    public String extraRepr() {
        return numFeatures + ", eps=" + PyRepr.pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : PyRepr.pyFloat(momentum))
                + ", affine=" + (affine ? "True" : "False") + ", track_running_stats=" + (trackRunningStats ? "True" : "False");
    }
}
