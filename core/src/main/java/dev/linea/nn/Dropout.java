package dev.linea.nn;

import dev.linea.internal.Dropouts;

import dev.linea.internal.PyRepr;

import dev.linea.nn.functional.F;

import dev.linea.Tensor;

/** Dropout: in training, zeroes each element with probability {@code p} and scales the rest by {@code 1/(1-p)}; in evaluation, the identity. Any shape. */
public class Dropout extends Module {
    public final float p;

    public Dropout() {
        this(0.5f);
    }

    public Dropout(float p) {
        this.p = Dropouts.checked(p);
    }

    /** Drawing its masks from {@code gen} rather than the global generator (see {@link Module#generator()}). */
    public Dropout(float p, dev.linea.Generator gen) {
        this(p);
        setGenerator(java.util.Objects.requireNonNull(gen, "generator"));
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.dropout(input, p, isTraining(), generator()));
    }

    @Override
    public String extraRepr() {
        return "p=" + PyRepr.pyFloat(p) + ", inplace=False";
    }
}
