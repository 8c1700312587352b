package dev.linea.autograd;

import dev.linea.Tensor;
import dev.linea.internal.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One recorded operation in the autograd graph: its inputs and its local backward rule. The rule
 * receives the gradient of the loss with respect to the op's output and returns one gradient per input
 * (null where an input needs none). Gradients may have the broadcast shape; the engine sums them back
 * to each input's shape.
 *
 * <p>A node remembers, for each input, the node that produced it when the op ran (so an input later
 * changed in place, which gets a new node, still routes this op's gradient to the value it read), and the
 * version of each tensor its rule reads: {@link #backward} refuses, with PyTorch's message, when one of
 * them was modified in place since.
 */
public final class Node {

    private final String name;
    final Tensor[] inputs;
    final Node[] inputNodes;
    final boolean[] inputRequiresGrad;
    private Tensor[] saved;
    private final int[] savedVersions;
    private final String[] savedOrigins; // this node's name for a saved output, else null
    private final List<UnaryOperator<Tensor>> hooks = new ArrayList<>();
    private Tensor retained;
    private Autograd.Rule backward;

    Node(String name, Tensor output, Tensor[] inputs, Autograd.Rule backward) {
        this(name, output, inputs, backward, SavedTensors.of(name, output, inputs));
    }

    /** A node whose rule reads exactly {@code saved} (checked against their versions before it runs). */
    Node(String name, Tensor output, Tensor[] inputs, Autograd.Rule backward, Tensor[] saved) {
        this.name = name;
        this.inputs = inputs;
        this.backward = backward;
        inputNodes = new Node[inputs.length];
        inputRequiresGrad = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            inputNodes[i] = inputs[i] == null ? null : dev.linea.internal.TensorAccess.gradFn(inputs[i]);
            inputRequiresGrad[i] = inputs[i] != null && inputs[i].requiresGrad();
        }
        this.saved = saved;
        savedVersions = new int[saved.length];
        savedOrigins = new String[saved.length];
        for (int i = 0; i < saved.length; i++) {
            savedVersions[i] = saved[i].version();
            savedOrigins[i] = saved[i] == output ? name : null; // an input's is read when reported, as PyTorch's
        }
    }

    /** The {@code i}-th input the operation read (null where it took none), e.g. the base of a view. */
    public Tensor input(int i) {
        return inputs[i];
    }

    /** The operation's name, as PyTorch's {@code grad_fn.name()}, e.g. {@code AddmmBackward0}. */
    public String name() {
        return name;
    }

    /**
     * Registers {@code hook} on the gradient of this node's output, as {@code Tensor.register_hook} on a
     * non-leaf: it is called with that gradient before the rule runs and may return a replacement (or null
     * to keep it).
     */
    public RemovableHandle registerHook(UnaryOperator<Tensor> hook) {
        java.util.Objects.requireNonNull(hook, "hook");
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Makes the engine store the gradient of this node's output in {@code output}'s {@code grad()}. */
    public void retainGrad(Tensor output) {
        retained = output;
    }

    /** Whether {@link #retainGrad} was called, as PyTorch's {@code retains_grad}. */
    public boolean retainsGrad() {
        return retained != null;
    }

    /** The gradient of this node's output after the hooks ran; stored in the retained tensor if any. */
    Tensor hooked(Tensor g) {
        for (UnaryOperator<Tensor> h : List.copyOf(hooks)) {
            Tensor r = h.apply(g);
            if (r != null) {
                g = r;
            }
        }
        if (retained != null) {
            Tensor prev = retained.grad();
            retained.setGrad(prev == null ? g.clone() : prev.add(g));
        }
        return g;
    }

    Tensor[] backward(Tensor gradOutput) {
        if (backward == null) {
            throw new IllegalStateException("Trying to backward through the graph a second time (through "
                    + name + "): its saved tensors were freed after the first backward(). "
                    + "Call backward(grad, true) (retainGraph) the first time if you need to backward twice.");
        }
        for (int i = 0; i < saved.length; i++) {
            int now = saved[i].version();
            if (now != savedVersions[i]) {
                String origin = savedOrigins[i] != null ? savedOrigins[i] : saved[i].gradFnName();
                throw new IllegalStateException("one of the variables needed for gradient computation has been "
                        + "modified by an inplace operation: [torch.FloatTensor " + Shape.str(saved[i].shape()) + "]"
                        + (origin == null ? "" : ", which is output 0 of " + origin + ",")
                        + " is at version " + now + "; expected version " + savedVersions[i] + " instead. Hint: "
                        + "the tensor was changed in place (add_, mul_, copy_, ...) after " + name
                        + " used it; clone() it before changing it, or change a copy.");
            }
        }
        return backward.apply(gradOutput);
    }

    /** Drops the saved tensors (captured by the backward rule) so their memory can be reclaimed. */
    void free() {
        backward = null;
        saved = new Tensor[0];
    }
}
