package dev.linea.nn;

import dev.linea.internal.PyRepr;

import dev.linea.nn.functional.F;

import dev.linea.Tensor;

/** Leaky ReLU, {@code x > 0 ? x : negativeSlope·x}, elementwise; any shape (default slope 0.01). */
public class LeakyReLU extends Module {
    public final float negativeSlope;

    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.leakyRelu(input, negativeSlope));
    }

    @Override
    public String extraRepr() {
        return "negative_slope=" + PyRepr.pyFloat(negativeSlope);
    }
}
