package dev.linea.autograd;


import dev.linea.compute.Ops;
import dev.linea.internal.Shape;
import dev.linea.internal.TensorAccess;
import dev.linea.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode autograd: orders the graph below a root topologically, then walks it backwards, calling
 * each op's local rule and accumulating gradients. Leaves accumulate into {@link Tensor#grad()}.
 * {@link #backward} is {@code torch.autograd.backward}; {@link Tensor#backward()} calls it.
 */
public final class Engine {
    private Engine() {}

    /**
     * Backpropagates from {@code root}: {@code gradient} is dL/d(root) (null for a one-element root, meaning
     * 1); with {@code retainGraph} the graph's saved tensors are kept for another backward.
     */
    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("element 0 of tensors does not require grad and does not have a grad_fn: "
                    + "call requiresGrad(true) on the leaves, or compute the loss outside a no-grad block");
        }
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new IllegalStateException("grad can be implicitly created only for scalar outputs, but the output has shape "
                        + Shape.str(root.shape()) + ": pass a gradient of that shape to backward(gradient)");
            }
            gradient = Tensor.ones(root.shape());
        } else if (!java.util.Arrays.equals(gradient.shape(), root.shape())) {
            throw new IllegalArgumentException("gradient has shape " + Shape.str(gradient.shape())
                    + " but the output has shape " + Shape.str(root.shape()));
        }
        List<Tensor> order = topologicalOrder(root);
        // Storages already handed to a leaf as its gradient (and the caller's own gradient): a leaf may
        // take a gradient's storage without copying only if no one else holds it.
        Set<float[]> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        taken.add(TensorAccess.data(gradient));
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, gradient);
        try (var scope = GradMode.noGrad()) {
            for (Tensor t : order) {
                Tensor g = grads.remove(t);
                if (g == null) {
                    continue;
                }
                Node node = TensorAccess.gradFn(t);
                if (node == null) {
                    TensorAccess.accumulateGrad(t, g, taken.add(TensorAccess.data(g)));
                    continue;
                }
                Tensor[] inputGrads = node.backward(g);
                if (!retainGraph) {
                    node.free();
                }
                for (int i = 0; i < node.inputs.length; i++) {
                    Tensor in = node.inputs[i];
                    if (in == null || !in.requiresGrad() || inputGrads[i] == null) {
                        continue;
                    }
                    Tensor gi = Ops.sumToShape(inputGrads[i], in.shape());
                    Tensor prev = grads.get(in);
                    grads.put(in, prev == null ? gi : prev.add(gi));
                }
            }
        }
    }

    /** Tensors reachable from {@code root} through grad functions, root first, every tensor before its inputs. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> postOrder = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        // Iterative DFS: deep graphs (long training loops built by hand) must not overflow the stack.
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.put(root, true);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Node node = TensorAccess.gradFn(t);
            Tensor[] inputs = node == null ? new Tensor[0] : node.inputs;
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad() && visited.put(in, true) == null) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                postOrder.add(t);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
