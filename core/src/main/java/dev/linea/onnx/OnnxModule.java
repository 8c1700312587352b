package dev.linea.onnx;

import dev.linea.Tensor;
import dev.linea.nn.Module;
import dev.linea.nn.Parameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An imported ONNX graph as a Linea {@link Module}: {@link #forward} evaluates the nodes in order with Linea's
 * differentiable ops, and the graph's float initializers are trainable {@link Parameter}s (BatchNormalization
 * statistics are buffers), so the model can be fine-tuned with any optimizer and saved as a state dict.
 *
 * <p>Names: an initializer called {@code fc1.weight} (what {@code torch.onnx.export} writes for a module's
 * parameters) becomes parameter {@code weight} of a child {@code fc1}, so the state dict key is the same
 * {@code fc1.weight} and PyTorch's safetensors files load as they are. Names the state-dict rules cannot take
 * as they are (empty segments such as {@code a..b}, or a clash with another name's prefix) are sanitised,
 * dots becoming underscores; {@link #stateDictKey} gives the key of every initializer.
 *
 * <p>Imported graphs compute with inference semantics: Dropout is the identity and BatchNormalization uses
 * its running statistics in {@code train()} mode too (ONNX graphs from exporters are inference graphs).
 */
public final class OnnxModule extends Module {
    /** A resolved node: its version and where its inputs come from. */
    record Step(NodeProto node, int version) {
        String describe() {
            return "node '" + node.name() + "' (" + node.opType() + " v" + version + ")";
        }
    }

    private final String source;
    private final ModelProto model;
    private final List<Step> steps;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, Tensor> weights = new LinkedHashMap<>();
    private final Map<String, Value> constants = new HashMap<>();
    private final Map<String, String> keys = new LinkedHashMap<>();

    OnnxModule(String source, ModelProto model, List<Step> steps, List<String> inputs, List<String> outputs) {
        this.source = source;
        this.model = model;
        this.steps = List.copyOf(steps);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    /** A container of imported weights under one name prefix ({@code fc1} of {@code fc1.weight}). */
    static final class Holder extends Module {
        private final Map<String, Holder> kids = new LinkedHashMap<>();
        private final Set<String> leaves = new java.util.HashSet<>();

        @Override
        public Tensor forward(Tensor input) {
            throw new UnsupportedOperationException("this module only holds imported weights; call the OnnxModule");
        }

        void child(String name, Holder h) {
            registerModule(name, h);
        }

        Parameter param(String name, Parameter p) {
            return registerParameter(name, p);
        }

        Tensor buffer(String name, Tensor t) {
            return registerBuffer(name, t);
        }
    }

    // ---------------------------------------------------------------- building (by Onnx.load)

    void addConstant(String name, Value v) {
        constants.put(name, v);
    }

    /** Registers an initializer as a parameter or buffer under its ONNX name (or a sanitised key). */
    void addWeight(String name, Tensor t, boolean trainable) {
        String[] parts = name.split("\\.", -1);
        boolean clean = parts.length > 0;
        for (String p : parts) {
            clean &= !p.isEmpty();
        }
        String key = clean && fits(parts) ? name : uniqueFlat(name.replace('.', '_'));
        String[] path = key.split("\\.", -1);
        Holder holder = null;
        for (int i = 0; i < path.length - 1; i++) {
            Holder next = holder == null ? roots.get(path[i]) : holder.kids.get(path[i]);
            if (next == null) {
                next = new Holder();
                if (holder == null) {
                    roots.put(path[i], next);
                    registerModule(path[i], next);
                } else {
                    holder.kids.put(path[i], next);
                    holder.child(path[i], next);
                }
            }
            holder = next;
        }
        String leaf = path[path.length - 1];
        if (holder == null) {
            rootLeaves.add(leaf);
            if (trainable) {
                weights.put(name, registerParameter(leaf, new Parameter(t)));
            } else {
                weights.put(name, registerBuffer(leaf, t));
            }
        } else {
            holder.leaves.add(leaf);
            weights.put(name, trainable ? holder.param(leaf, new Parameter(t)) : holder.buffer(leaf, t));
        }
        keys.put(name, key);
    }

    private final Map<String, Holder> roots = new LinkedHashMap<>();
    private final Set<String> rootLeaves = new java.util.HashSet<>();

    /** Whether a dotted name fits the tree built so far: no segment both a leaf and a prefix. */
    private boolean fits(String[] parts) {
        Map<String, Holder> level = roots;
        Set<String> leaves = rootLeaves;
        for (int i = 0; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            if (last) {
                return !leaves.contains(parts[i]) && !level.containsKey(parts[i]);
            }
            if (leaves.contains(parts[i])) {
                return false;
            }
            Holder h = level.get(parts[i]);
            if (h == null) {
                return true;
            }
            level = h.kids;
            leaves = h.leaves;
        }
        return true;
    }

    private String uniqueFlat(String base) {
        String k = base.isEmpty() ? "_" : base;
        for (int i = 1; rootLeaves.contains(k) || roots.containsKey(k); i++) {
            k = base + "_" + i;
        }
        return k;
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs the graph on its one input and returns its first output (for models with one input; see
     * {@link #forward(Map)} for the general case).
     */
    @Override
    public Tensor forward(Tensor input) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(source + ": the model has " + inputs.size() + " inputs " + inputs
                    + "; call forward(Map) with each by name");
        }
        Map<String, Value> out = run(Map.of(inputs.get(0), Value.of(input)));
        return recordOutput(out.get(outputs.get(0)).asTensor());
    }

    /** Runs the graph on named inputs and returns every graph output by name (integer outputs as floats). */
    public Map<String, Tensor> forward(Map<String, Tensor> namedInputs) {
        Map<String, Value> in = new LinkedHashMap<>();
        namedInputs.forEach((k, v) -> in.put(k, Value.of(v)));
        Map<String, Tensor> out = new LinkedHashMap<>();
        run(in).forEach((k, v) -> out.put(k, v.asTensor()));
        return out;
    }

    /** The evaluation itself, on {@link Value}s (integer inputs allowed), returning the graph outputs. */
    Map<String, Value> run(Map<String, Value> given) {
        for (String k : given.keySet()) {
            if (!inputs.contains(k)) {
                throw new IllegalArgumentException(source + ": '" + k + "' is not an input of the model (inputs: "
                        + inputs + ")");
            }
        }
        Map<String, Value> env = new HashMap<>(constants);
        weights.forEach((k, v) -> env.put(k, Value.of(v)));
        for (String k : inputs) {
            Value v = given.get(k);
            if (v == null) {
                throw new IllegalArgumentException(source + ": input '" + k + "' was not given");
            }
            env.put(k, v);
        }
        for (Step s : steps) {
            NodeProto n = s.node();
            Value[] in = new Value[n.inputs().size()];
            for (int i = 0; i < in.length; i++) {
                String name = n.inputs().get(i);
                in[i] = name.isEmpty() ? null : env.get(name);
            }
            Value[] out;
            try {
                out = NodeOps.run(n, s.version(), in);
            } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
                throw new IllegalArgumentException(source + ": " + s.describe() + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < n.outputs().size(); i++) {
                String name = n.outputs().get(i);
                if (!name.isEmpty()) {
                    env.put(name, out[i]);
                }
            }
        }
        Map<String, Value> result = new LinkedHashMap<>();
        for (String o : outputs) {
            result.put(o, env.get(o));
        }
        return result;
    }

    // ---------------------------------------------------------------- what was imported

    /** The graph's inputs (initializers excluded), in order. */
    public List<String> inputNames() {
        return inputs;
    }

    /** The graph's outputs, in order. */
    public List<String> outputNames() {
        return outputs;
    }

    /** Initializer (ONNX) name → its key in {@link #stateDict()}, for every imported parameter and buffer. */
    public Map<String, String> stateDictKeys() {
        return Collections.unmodifiableMap(keys);
    }

    /** The state-dict key of initializer {@code onnxName}. */
    public String stateDictKey(String onnxName) {
        String k = keys.get(onnxName);
        if (k == null) {
            throw new IllegalArgumentException("no imported weight '" + onnxName + "' in " + source);
        }
        return k;
    }

    /** The model as read from the file. */
    public ModelProto model() {
        return model;
    }

    /** The model's {@code metadata_props}, in file order. */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        for (StringStringEntryProto e : model.metadataProps()) {
            m.put(e.key(), e.value());
        }
        return m;
    }

    /** How many nodes of each op type the graph has, in first-use order. */
    public Map<String, Integer> opCounts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Step s : steps) {
            m.merge(s.node().opType(), 1, Integer::sum);
        }
        return m;
    }

    @Override
    public String extraRepr() {
        return "opset=" + model.defaultOpset() + ", nodes=" + steps.size() + ", inputs=" + inputs + ", outputs=" + outputs;
    }

    List<Step> steps() {
        return new ArrayList<>(steps);
    }
}
