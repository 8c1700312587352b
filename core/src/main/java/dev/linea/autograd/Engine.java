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
 *
 * <p>The graph's vertices are the {@link Node}s and the leaves that require grad: an edge goes from a node
 * to the node that produced each input when the op ran (not the input's node now: an in-place op gives its
 * tensor a new node, and the ops that read the old value must send their gradient to the old one).
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
        Node rootNode = TensorAccess.gradFn(root);
        Object rootVertex = rootNode == null ? root : rootNode;
        List<Object> order = topologicalOrder(rootVertex);
        // Storages already handed to a leaf as its gradient (and the caller's own gradient): a leaf may
        // take a gradient's storage without copying only if no one else holds it.
        Set<float[]> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        taken.add(TensorAccess.data(gradient));
        Map<Object, Tensor> grads = new IdentityHashMap<>();
        grads.put(rootVertex, gradient);
        try (var scope = GradMode.noGrad()) {
            for (Object v : order) {
                Tensor g = grads.remove(v);
                if (g == null) {
                    continue;
                }
                if (v instanceof Tensor leaf) {
                    TensorAccess.accumulateGrad(leaf, g, taken.add(TensorAccess.data(g)));
                    continue;
                }
                Node node = (Node) v;
                g = node.hooked(g);
                Tensor[] inputGrads = node.backward(g);
                if (!retainGraph) {
                    node.free();
                }
                for (int i = 0; i < node.inputs.length; i++) {
                    Object in = input(node, i);
                    if (in == null || inputGrads[i] == null) {
                        continue;
                    }
                    Tensor gi = Ops.sumToShape(inputGrads[i], node.inputs[i].shape());
                    Tensor prev = grads.get(in);
                    grads.put(in, prev == null ? gi : prev.add(gi));
                }
            }
        }
    }

    /** The vertex input {@code i} of {@code node} leads to: its node at record time, itself if a leaf, or null. */
    private static Object input(Node node, int i) {
        Tensor in = node.inputs[i];
        if (in == null || !node.inputRequiresGrad[i]) {
            return null;
        }
        return node.inputNodes[i] != null ? node.inputNodes[i] : in;
    }

    /** Vertices reachable from {@code root}, root first, every vertex before its inputs. */
    private static List<Object> topologicalOrder(Object root) {
        List<Object> postOrder = new ArrayList<>();
        Map<Object, Boolean> visited = new IdentityHashMap<>();
        // Iterative DFS: deep graphs (long training loops built by hand) must not overflow the stack.
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.put(root, true);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            int next = (Integer) frame[1];
            Node node = frame[0] instanceof Node n ? n : null;
            if (node != null && next < node.inputs.length) {
                frame[1] = next + 1;
                Object in = input(node, next);
                if (in != null && visited.put(in, true) == null) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                postOrder.add(frame[0]);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
