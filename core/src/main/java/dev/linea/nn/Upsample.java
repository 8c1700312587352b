package dev.linea.nn;

import dev.linea.internal.PyRepr;

import dev.linea.nn.functional.F;

import dev.linea.Tensor;

/**
 * Nearest-neighbour upsampling, like {@code torch.nn.Upsample(scale_factor=s, mode='nearest')}: input
 * (N, C, H, W) or (C, H, W), output (N, C, floor(H·s), floor(W·s)), where output row i copies input row
 * {@code min(floor(i/s), H − 1)} (likewise columns). Only mode {@code nearest} is implemented. No parameters.
 */
public class Upsample extends Module {
    public final double scaleFactor;
    public final String mode;

    /** Nearest upsampling by {@code scaleFactor} in both spatial dimensions. */
    public Upsample(double scaleFactor) {
        this(scaleFactor, "nearest");
    }

    public Upsample(double scaleFactor, String mode) {
        if (!(scaleFactor > 0)) {
            throw new IllegalArgumentException("Upsample: scale_factor must be positive, got " + scaleFactor);
        }
        if (!"nearest".equals(mode)) {
            throw new IllegalArgumentException("Upsample: only mode 'nearest' is implemented, got '" + mode + "'");
        }
        this.scaleFactor = scaleFactor;
        this.mode = mode;
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.upsampleNearest(input, scaleFactor));
    }

    @Override
    public String extraRepr() {
        return "scale_factor=" + PyRepr.pyFloat(scaleFactor) + ", mode=" + mode;
    }
}
