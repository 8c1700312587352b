package dev.linea.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX graph an export builds, node by node: named values with their example shape and the position of
 * the dynamic batch dimension, and nodes with fresh unique names. The small constants the lowering adds
 * (shapes, axes, scalars) are {@code Constant} nodes, as PyTorch writes them, so that an importer does not
 * take them for weights to train; the module's own tensors are initializers (see {@link Exporter}).
 */
final class ExportGraph {
    /**
     * A value of the graph: its name, its shape in the traced pass, and which dimension grows with the batch
     * ({@code -1}: none; such a dimension is the batch size itself or a multiple of it).
     */
    record Value(String name, int[] shape, int batchAxis) {
        int rank() {
            return shape.length;
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape) + (batchAxis >= 0 ? " (batch dim " + batchAxis + ")" : "");
        }
    }

    private final List<NodeProto> nodes = new ArrayList<>();
    private final Map<String, Integer> counts = new HashMap<>();
    /** The scope of the next nodes' names ({@code "fc1"} while lowering the op that uses fc1.weight), or "". */
    private String scope = "";

    void scope(String s) {
        scope = s;
    }

    /** Adds a node with one output of the given shape and batch axis; returns that output. */
    Value node(String opType, List<String> inputs, int[] shape, int batchAxis, AttributeProto... attributes) {
        String base = (scope.isEmpty() ? "" : "/" + scope) + "/" + opType;
        int k = counts.merge(base, 1, Integer::sum) - 1;
        String name = k == 0 ? base : base + "_" + k;
        String out = name + "_output_0";
        nodes.add(new NodeProto(name, opType, inputs, List.of(out), List.of(attributes)));
        return new Value(out, shape.clone(), batchAxis);
    }

    /** Adds a node writing {@code output} (a name chosen by the caller, e.g. the graph's output). */
    void node(String opType, List<String> inputs, String output) {
        nodes.add(new NodeProto(opType + "_" + output, opType, inputs, List.of(output), List.of()));
    }

    /** A float constant; {@code shape} empty for a scalar. */
    String constant(float[] values, int... shape) {
        return constantNode(TensorProto.ofFloats("", longs(shape), values), shape);
    }

    /** A 1-D int64 constant (shapes, axes, slice bounds). */
    String constantLongs(long... values) {
        return constantNode(TensorProto.ofLongs("", new long[] {values.length}, values), new int[] {values.length});
    }

    private String constantNode(TensorProto value, int[] shape) {
        String saved = scope;
        scope = "";   // constants are shared helpers, not part of a layer
        Value v = node("Constant", List.of(), shape, -1, AttributeProto.ofTensor("value", value));
        scope = saved;
        return v.name();
    }

    /**
     * Renames the output {@code from} of the node that wrote it to {@code to}, and every use of it (so the
     * graph's output carries its own name, not an intermediate one).
     */
    boolean renameOutput(String from, String to) {
        boolean found = false;
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            if (n.outputs().contains(from) || n.inputs().contains(from)) {
                found |= n.outputs().contains(from);
                nodes.set(i, new NodeProto(n.name(), n.opType(), n.domain(), rename(n.inputs(), from, to),
                        rename(n.outputs(), from, to), n.attributes(), n.docString()));
            }
        }
        return found;
    }

    private static List<String> rename(List<String> names, String from, String to) {
        return names.stream().map(s -> s.equals(from) ? to : s).toList();
    }

    List<NodeProto> nodes() {
        return nodes;
    }

    static long[] longs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
