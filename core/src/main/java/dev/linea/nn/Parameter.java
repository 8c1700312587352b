package dev.linea.nn;

import dev.linea.Tensor;

/**
 * A tensor that is a learnable parameter of a {@link Module}: a leaf that requires grad, found by
 * {@link Module#parameters()} and updated by an optimizer.
 */
public class Parameter extends Tensor {

    /** Wraps {@code data} (sharing its storage) as a parameter that requires grad. */
    public Parameter(Tensor data) {
        this(data, true);
    }

    /** Wraps {@code data} as a parameter, with or without gradients (frozen). */
    public Parameter(Tensor data, boolean requiresGrad) {
        super(data.contiguous());
        requiresGrad(requiresGrad);
    }

    /** PyTorch's format: {@code Parameter containing:} and the tensor. */
    @Override
    public String toString() {
        return "Parameter containing:\n" + super.toString();
    }
}
