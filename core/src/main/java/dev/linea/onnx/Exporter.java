package dev.linea.onnx;

import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.internal.Trace;
import dev.linea.nn.Module;
import dev.linea.onnx.ExportGraph.Value;
import dev.linea.onnx.ForwardTrace.Op;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Onnx#export}'s work: traces one eval-mode forward pass of the example input, keeps the ops the output
 * depends on, lowers each through {@link ExportOps}, and assembles the model (opset 17, IR 8) with the
 * module's parameters and buffers as initializers under their state-dict names and the input's first
 * dimension as the dynamic dimension {@code batch}.
 */
final class Exporter {
    static final int OPSET = 17;
    static final int IR_VERSION = 8;
    static final String INPUT = "input", OUTPUT = "output", BATCH = "batch";

    private Exporter() {}

    static ModelProto export(Module module, Tensor example, Map<String, String> metadata) {
        if (example.dim() == 0) {
            throw new IllegalArgumentException("Onnx.export: the example input must have a batch dimension, got a 0-d tensor");
        }
        Map<Tensor, String> stateNames = new IdentityHashMap<>();
        module.stateDict().forEach((name, t) -> stateNames.putIfAbsent(t, name));
        Tensor input = example.detach();   // a tensor of its own, so it is never mistaken for a parameter
        ForwardTrace trace = new ForwardTrace();
        Tensor output;
        // every module's own mode, parents first, so that restoring a parent does not overrule a child set apart
        Map<Module, Boolean> modes = new LinkedHashMap<>();
        module.namedModules().values().forEach(m -> modes.putIfAbsent(m, m.isTraining()));
        module.eval();
        try (var noGrad = GradMode.noGrad()) {
            output = Trace.record(trace, () -> module.forward(input));
        } finally {
            modes.forEach(Module::train);
        }

        Set<Tensor> leaves = Collections.newSetFromMap(new IdentityHashMap<>());
        leaves.add(input);
        leaves.addAll(stateNames.keySet());
        List<Op> ops = trace.needed(output, leaves);

        ExportGraph g = new ExportGraph();
        Map<Tensor, Value> values = new IdentityHashMap<>();
        values.put(input, new Value(INPUT, input.shape(), 0));
        Map<String, Tensor> used = new LinkedHashMap<>();
        ExportOps lowering = new ExportOps(g, t -> {
            Value v = values.get(t);
            if (v == null) {
                String name = stateNames.get(t);
                v = new Value(name, t.shape(), -1);
                values.put(t, v);
                used.put(name, t);
            }
            return v;
        });
        for (Op op : ops) {
            g.scope(scope(op, stateNames));
            values.put(op.output(), lowering.lower(op));
        }

        // The module's tensors the graph reads, in state-dict order.
        List<TensorProto> initializers = new ArrayList<>();
        for (var e : module.stateDict().entrySet()) {
            if (used.containsKey(e.getKey())) {
                Tensor t = e.getValue();
                initializers.add(TensorProto.ofFloats(e.getKey(), ExportGraph.longs(t.shape()), t.toFloatArray()));
            }
        }

        Value result = values.get(output);
        if (result.name().equals(INPUT) || used.containsKey(result.name()) || !g.renameOutput(result.name(), OUTPUT)) {
            g.node("Identity", List.of(result.name()), OUTPUT);
        }
        GraphProto graph = new GraphProto("linea", g.nodes(), initializers,
                List.of(new ValueInfoProto(INPUT, type(input.shape(), 0, input.shape()[0]))),
                List.of(new ValueInfoProto(OUTPUT, type(output.shape(), result.batchAxis(), input.shape()[0]))));
        List<StringStringEntryProto> props = new ArrayList<>();
        props.add(new StringStringEntryProto(Onnx.META_LINEA_VERSION, Linea.version()));
        metadata.forEach((k, v) -> props.add(new StringStringEntryProto(k, v)));
        return ModelProto.of(IR_VERSION, "linea", Linea.version(), graph, OPSET, props);
    }

    /**
     * A float tensor type of the traced shape with the batch dimension symbolic: {@code batch} where it is the
     * batch size itself, unnamed where it is a multiple of it (after a flatten of everything, say).
     */
    private static TypeProto type(int[] shape, int batchAxis, int batch) {
        List<TypeProto.Dimension> dims = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            dims.add(i != batchAxis ? TypeProto.Dimension.of(shape[i])
                    : shape[i] == batch ? TypeProto.Dimension.symbolic(BATCH) : new TypeProto.Dimension(-1, null));
        }
        return TypeProto.tensor(DataType.FLOAT, dims);
    }

    /** The module an op belongs to, from the state-dict name of its weight ({@code fc1.weight} → {@code fc1}). */
    private static String scope(Op op, Map<Tensor, String> stateNames) {
        for (Tensor t : op.inputs()) {
            String name = t == null ? null : stateNames.get(t);
            if (name != null && name.contains(".")) {
                return name.substring(0, name.lastIndexOf('.'));
            }
        }
        return "";
    }
}
