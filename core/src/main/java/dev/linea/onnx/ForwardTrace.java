package dev.linea.onnx;

import dev.linea.Tensor;
import dev.linea.internal.Trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations of one traced forward pass ({@link Trace}), and the part of them the output depends on.
 * Tensors are told apart by identity. An op's later report of the same output (with its attributes) replaces
 * the first, and ops whose outputs the result does not need (a kernel's internal reshape of a detached
 * copy, say) are dropped.
 */
final class ForwardTrace implements Trace.Sink {
    /** One traced operation. */
    record Op(String name, Tensor output, Tensor[] inputs, Map<String, Object> attributes) {
        int intAttr(String key) {
            return (Integer) attr(key);
        }

        int[] intsAttr(String key) {
            return (int[]) attr(key);
        }

        float floatAttr(String key) {
            return ((Number) attr(key)).floatValue();
        }

        boolean boolAttr(String key) {
            return (Boolean) attr(key);
        }

        boolean has(String key) {
            return attributes.containsKey(key);
        }

        private Object attr(String key) {
            Object v = attributes.get(key);
            if (v == null) {
                throw new IllegalStateException("traced op " + name + " did not report its attribute '" + key + "'");
            }
            return v;
        }

        @Override
        public String toString() {
            return name + (attributes.isEmpty() ? "" : attributes.toString()) + " -> " + Arrays.toString(output.shape());
        }
    }

    private final List<Op> ops = new ArrayList<>();
    private final Map<Tensor, Op> producer = new IdentityHashMap<>();

    @Override
    public void op(String name, Tensor output, Tensor[] inputs, Map<String, Object> attributes) {
        Op op = new Op(name, output, inputs.clone(), attributes);
        ops.add(op);
        producer.put(output, op);
    }

    /**
     * The ops {@code output} depends on, in the order they ran, walking back from it until {@code leaves}
     * (the input, parameters and buffers). A tensor needed on the way that is no leaf and that no traced op
     * produced is refused: the forward computed it outside what a trace sees.
     */
    List<Op> needed(Tensor output, Set<Tensor> leaves) {
        Set<Tensor> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        if (!leaves.contains(output)) {
            wanted.add(output);
        }
        List<Op> kept = new ArrayList<>();
        for (int i = ops.size() - 1; i >= 0; i--) {
            Op op = ops.get(i);
            if (producer.get(op.output) != op || !wanted.remove(op.output)) {
                continue;
            }
            kept.add(op);
            for (Tensor in : op.inputs) {
                if (in != null && !leaves.contains(in)) {
                    if (!producer.containsKey(in)) {
                        throw new IllegalArgumentException("Onnx.export: " + op.name + " uses a tensor of shape "
                                + Arrays.toString(in.shape()) + " that is neither the input nor a parameter or buffer of "
                                + "the module, and that no traceable operation produced (a tensor created inside "
                                + "forward, or the result of a comparison, sign, argmax or other operation without "
                                + "autograd): the exported graph cannot compute it");
                    }
                    wanted.add(in);
                }
            }
        }
        if (!wanted.isEmpty()) {
            Tensor t = wanted.iterator().next();
            throw new IllegalArgumentException("Onnx.export: the forward pass returned a tensor of shape "
                    + Arrays.toString(t.shape()) + " that no traceable operation produced from the input");
        }
        Collections.reverse(kept);
        return kept;
    }
}
