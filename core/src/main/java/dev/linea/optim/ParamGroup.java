package dev.linea.optim;

import dev.linea.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of parameters with its own hyper-parameters ({@code lr}, {@code weight_decay}, ...), as in
 * PyTorch's {@code param_groups}: schedulers change {@code lr} here, and fine-tuning gives layers
 * different rates. Option names follow PyTorch.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Double> options;

    /**
     * A group of {@code params} with its own options, e.g. {@code new ParamGroup(head.parameters(),
     * Map.of("lr", 1e-2, "weight_decay", 0.0))}; options not given fall back to the optimizer's
     * defaults. Option names are the optimizer's (PyTorch's), e.g. {@code lr}, {@code momentum},
     * {@code beta1}, {@code beta2}, {@code eps}, {@code weight_decay}; an unknown name is rejected when the
     * group is added to an optimizer.
     */
    public ParamGroup(List<? extends Tensor> params, Map<String, Double> options) {
        this.params = List.copyOf(params);
        this.options = new LinkedHashMap<>(options);
    }

    /** A group that uses the optimizer's defaults. */
    public ParamGroup(List<? extends Tensor> params) {
        this(params, Map.of());
    }

    public List<Tensor> params() {
        return params;
    }

    /** The option {@code name}, e.g. {@code "lr"}. */
    public double get(String name) {
        Double v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException("parameter group has no option '" + name + "' (has " + options.keySet() + ")");
        }
        return v;
    }

    /** Whether the group has the option {@code name} (e.g. a scheduler's {@code "initial_lr"}). */
    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** Sets the option {@code name}. */
    public void set(String name, double value) {
        options.put(name, value);
    }

    /** The learning rate. */
    public double lr() {
        return get("lr");
    }

    public void setLr(double lr) {
        set("lr", lr);
    }

    /** All options, for state dicts. */
    public Map<String, Double> options() {
        return java.util.Collections.unmodifiableMap(options);
    }

    /**
     * Fills the options this group lacks from {@code defaults}, and puts them in a fixed order (the
     * defaults' order, then any others by name) whatever order the caller's map had.
     */
    void applyDefaults(Map<String, Double> defaults) {
        Map<String, Double> given = new java.util.TreeMap<>(options);
        options.clear();
        for (var e : defaults.entrySet()) {
            options.put(e.getKey(), given.containsKey(e.getKey()) ? given.remove(e.getKey()) : e.getValue());
        }
        options.putAll(given);
    }
}
