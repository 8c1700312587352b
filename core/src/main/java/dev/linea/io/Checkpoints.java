package dev.linea.io;

import dev.linea.Tensor;
import dev.linea.nn.Module;
import dev.linea.optim.Optimizer;
import dev.linea.optim.OptimizerState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Model and optimizer checkpoints as safetensors files (atomic writes, validated reads).
 *
 * <p>A model file holds {@link Module#stateDict()} under PyTorch's dotted names ({@code fc1.weight}),
 * loadable by {@code safetensors.torch.load_file} and {@code load_state_dict}. An optimizer file holds
 * each parameter's buffers as {@code state.<paramIndex>.<buffer>} (e.g. {@code state.0.exp_avg},
 * {@code state.0.step} as a 0-D tensor) and the groups' options with their parameter indices as JSON
 * in the metadata key {@code param_groups}, mirroring PyTorch's optimizer {@code state_dict()}.
 */
public final class Checkpoints {
    /** Metadata key holding the optimizer's parameter groups as JSON. */
    public static final String PARAM_GROUPS = "param_groups";
    /** Metadata key saying what a Linea checkpoint holds ({@code model} or {@code optimizer}). */
    public static final String KIND = "linea.checkpoint";

    private Checkpoints() {}

    /** Saves a model's parameters and buffers. */
    public static void saveModel(Path path, Module model) throws IOException {
        SafeTensors.save(path, model.stateDict(), Map.of(KIND, "model"));
    }

    /**
     * Loads a model file into {@code model}; names and shapes must match exactly.
     *
     * @throws IllegalArgumentException naming missing or unexpected keys, or a shape mismatch
     */
    public static void loadModel(Path path, Module model) throws IOException {
        model.loadStateDict(SafeTensors.load(path).tensors());
    }

    /** Saves {@code optimizer.stateDict()}. */
    public static void saveOptimizer(Path path, Optimizer optimizer) throws IOException {
        saveOptimizer(path, optimizer.stateDict());
    }

    /** Saves an optimizer state: buffers as {@code state.<i>.<name>}, groups as JSON metadata. */
    public static void saveOptimizer(Path path, OptimizerState state) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (var p : state.state().entrySet()) {
            for (var b : p.getValue().entrySet()) {
                tensors.put("state." + p.getKey() + "." + b.getKey(), b.getValue());
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(KIND, "optimizer");
        metadata.put(PARAM_GROUPS, Json.write(state.paramGroups()));
        SafeTensors.save(path, tensors, metadata);
    }

    /**
     * Reads an optimizer state saved by {@link #saveOptimizer}, for {@link Optimizer#loadStateDict}.
     * Options come back as {@code Double}s and {@code params} as a list of {@code Integer}s.
     */
    public static OptimizerState loadOptimizer(Path path) throws IOException {
        SafeTensors.Loaded loaded = SafeTensors.load(path);
        String file = path.toString();
        Map<Integer, Map<String, Tensor>> state = new TreeMap<>();
        for (var e : loaded.tensors().entrySet()) {
            String name = e.getKey();
            int dot = name.indexOf('.', "state.".length());
            int index;
            try {
                if (!name.startsWith("state.") || dot < 0 || dot == name.length() - 1) {
                    throw new NumberFormatException();
                }
                index = Integer.parseInt(name.substring("state.".length(), dot));
            } catch (NumberFormatException bad) {
                throw new SafeTensorsException(file, "tensor '" + name
                        + "' is not an optimizer buffer (expected state.<paramIndex>.<buffer>)");
            }
            state.computeIfAbsent(index, k -> new LinkedHashMap<>()).put(name.substring(dot + 1), e.getValue());
        }
        String json = loaded.metadata().get(PARAM_GROUPS);
        if (json == null) {
            throw new SafeTensorsException(file, "no '" + PARAM_GROUPS + "' in the metadata: not an optimizer checkpoint");
        }
        return new OptimizerState(state, paramGroups(json, file));
    }

    private static List<Map<String, Object>> paramGroups(String json, String file) throws SafeTensorsException {
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (Json.ParseException e) {
            throw new SafeTensorsException(file, PARAM_GROUPS + " is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof List<?> list)) {
            throw new SafeTensorsException(file, PARAM_GROUPS + " must be a JSON list of objects");
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Object g : list) {
            if (!(g instanceof Map<?, ?> m)) {
                throw new SafeTensorsException(file, PARAM_GROUPS + " must be a JSON list of objects");
            }
            Map<String, Object> group = new LinkedHashMap<>();
            for (var o : m.entrySet()) {
                String key = (String) o.getKey();
                group.put(key, key.equals("params") ? indices(o.getValue(), file) : option(key, o.getValue(), file));
            }
            groups.add(group);
        }
        return groups;
    }

    private static List<Integer> indices(Object v, String file) throws SafeTensorsException {
        List<Integer> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
                    throw new SafeTensorsException(file, PARAM_GROUPS + ": params must be parameter indices, got " + v);
                }
                out.add(n.intValue());
            }
            return out;
        }
        throw new SafeTensorsException(file, PARAM_GROUPS + ": params must be a list, got " + v);
    }

    private static Object option(String key, Object v, String file) throws SafeTensorsException {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) { // NaN and infinities, which JSON cannot spell as numbers
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new SafeTensorsException(file, PARAM_GROUPS + ": option '" + key + "' is not a number: " + s);
            }
        }
        return v; // booleans and nulls pass through; the optimizer ignores non-numbers
    }
}
