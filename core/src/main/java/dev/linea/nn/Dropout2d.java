package dev.linea.nn;

import dev.linea.internal.Dropouts;

import dev.linea.internal.PyRepr;

import dev.linea.nn.functional.F;

import dev.linea.Tensor;

/**
 * Channel dropout, like {@code torch.nn.Dropout2d}: in training, each channel of an (N, C, H, W) or
 * (C, H, W) input is zeroed as a whole with probability {@code p} and the others are scaled by
 * {@code 1/(1-p)}; in evaluation, the identity. Suits convolutional features, whose neighbours are
 * correlated.
 */
public class Dropout2d extends Module {
    public final float p;

    public Dropout2d() {
        this(0.5f);
    }

    public Dropout2d(float p) {
        this.p = Dropouts.checked(p);
    }

    /** Drawing its masks from {@code gen} rather than the global generator (see {@link Module#generator()}). */
    public Dropout2d(float p, dev.linea.Generator gen) {
        this(p);
        setGenerator(java.util.Objects.requireNonNull(gen, "generator"));
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.dropout2d(input, p, isTraining(), generator()));
    }

    @Override
    public String extraRepr() {
        return "p=" + PyRepr.pyFloat(p) + ", inplace=False";
    }
}
