package dev.linea.autograd;

import dev.linea.Tensor;

/**
 * One recorded operation in the autograd graph: its inputs and its local backward rule. The rule
 * receives the gradient of the loss with respect to the op's output and returns one gradient per input
 * (null where an input needs none). Gradients may have the broadcast shape; the engine sums them back
 * to each input's shape.
 */
public final class Node {

    private final String name;
    final Tensor[] inputs;
    private Autograd.Rule backward;

    Node(String name, Tensor[] inputs, Autograd.Rule backward) {
        this.name = name;
        this.inputs = inputs;
        this.backward = backward;
    }

    /** The operation's name, as PyTorch's {@code grad_fn.name()}, e.g. {@code AddmmBackward0}. */
    public String name() {
        return name;
    }

    Tensor[] backward(Tensor gradOutput) {
        if (backward == null) {
            throw new IllegalStateException("Trying to backward through the graph a second time (through "
                    + name + "): its saved tensors were freed after the first backward(). "
                    + "Call backward(grad, true) (retainGraph) the first time if you need to backward twice.");
        }
        return backward.apply(gradOutput);
    }

    /** Drops the saved tensors (captured by the backward rule) so their memory can be reclaimed. */
    void free() {
        backward = null;
    }
}
