package dev.linea.nn;

import dev.linea.nn.functional.Reduction;

import dev.linea.Tensor;


/** Base of the loss functions: {@code loss = criterion.forward(input, target)}. */
public abstract class Loss extends Module {
    protected final Reduction reduction;

    protected Loss(Reduction reduction) {
        this.reduction = java.util.Objects.requireNonNull(reduction, "reduction");
    }

    /** The loss of {@code input} against {@code target}, reduced as configured. */
    public abstract Tensor forward(Tensor input, Tensor target);

    /** Losses need a target: use {@link #forward(Tensor, Tensor)}. */
    @Override
    public final Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " needs a target: call forward(input, target)");
    }

    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String extraRepr() {
        return "";
    }
}
