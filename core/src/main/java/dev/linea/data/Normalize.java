package dev.linea.data;

import dev.linea.Tensor;

import java.util.Arrays;

/**
 * Standardises each channel: {@code out[c] = (in[c] - mean[c]) / std[c]}, like torchvision's
 * {@code Normalize}. Takes tensors of shape (C, H, W) or (N, C, H, W); one mean and std apply to
 * every channel. For Fashion-MNIST in [0, 1] the usual values are mean 0.2860, std 0.3530; for
 * MNIST 0.1307 and 0.3081.
 */
public final class Normalize implements Transform<Tensor, Tensor> {
    private final float[] mean;
    private final float[] std;

    /**
     * @param mean per channel, or one value for all
     * @param std per channel (same count as {@code mean}), each positive
     */
    public Normalize(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize needs as many means as stds (at least one), got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("Normalize: std must be positive and finite, got " + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** One mean and std for every channel (grey images). */
    public Normalize(float mean, float std) {
        this(new float[] {mean}, new float[] {std});
    }

    /** The means, a copy. */
    public float[] mean() {
        return mean.clone();
    }

    /** The standard deviations, a copy. */
    public float[] std() {
        return std.clone();
    }

    @Override
    public Tensor apply(Tensor x) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("Normalize expects shape (C, H, W) or (N, C, H, W), got "
                    + Arrays.toString(x.shape()));
        }
        int[] shape = x.shape();
        int c = shape[shape.length - 3];
        if (mean.length != 1 && mean.length != c) {
            throw new IllegalArgumentException("Normalize has " + mean.length + " channel means but the tensor has "
                    + c + " channels (shape " + Arrays.toString(shape) + ")");
        }
        float[] v = x.toFloatArray();
        int plane = shape[shape.length - 1] * shape[shape.length - 2];
        for (int i = 0; i < v.length; i++) {
            int ch = mean.length == 1 ? 0 : (i / plane) % c;
            v[i] = (v[i] - mean[ch]) / std[ch];
        }
        return Tensor.wrap(v, shape);
    }

    @Override
    public boolean pointwise() {
        return true;
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
