package dev.linea.nn;

import dev.linea.Tensor;

import java.util.Arrays;

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

    /** Applies the reduction to per-element losses. */
    protected Tensor reduce(Tensor perElement) {
        return switch (reduction) {
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
            case NONE -> perElement;
        };
    }

    protected static void checkSameShape(String loss, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(loss + ": input shape " + Arrays.toString(input.shape())
                    + " and target shape " + Arrays.toString(target.shape()) + " must be the same");
        }
    }

    @Override
    public String extraRepr() {
        return "";
    }
}
