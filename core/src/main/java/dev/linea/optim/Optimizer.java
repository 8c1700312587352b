package dev.linea.optim;

import dev.linea.autograd.GradMode;
import dev.linea.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the optimizers: parameter groups with their hyper-parameters, per-parameter state
 * (moments, step counts), {@link #zeroGrad()} and {@link #step()}. Subclasses implement one update of one
 * parameter from its gradient; parameters without a gradient are skipped, as in PyTorch.
 */
public abstract class Optimizer {
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<String, Double> defaults;
    private final Map<Tensor, Map<String, Tensor>> state = new IdentityHashMap<>();

    protected Optimizer(List<? extends Tensor> params, Map<String, Double> defaults) {
        this(defaults, List.of(new ParamGroup(params)));
    }

    /** An optimizer over several parameter groups; options a group lacks come from {@code defaults}. */
    protected Optimizer(Map<String, Double> defaults, List<ParamGroup> groups) {
        this.defaults = new LinkedHashMap<>(defaults);
        if (groups.isEmpty() || groups.stream().allMatch(g -> g.params().isEmpty())) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        for (ParamGroup g : groups) {
            addParamGroup(g);
        }
    }

    /**
     * Options that learning-rate schedulers keep in a group beside the optimizer's own (PyTorch's names), so
     * a group restored from a checkpoint may carry them.
     */
    static final java.util.Set<String> SCHEDULER_OPTIONS =
            java.util.Set.of("initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum");

    /** Adds a group (e.g. layers unfrozen during fine-tuning); missing options take the defaults. */
    public void addParamGroup(ParamGroup group) {
        for (Tensor p : group.params()) {
            if (!p.isLeaf()) {
                throw new IllegalArgumentException("can't optimize a non-leaf tensor (produced by " + p.gradFnName() + ")");
            }
            for (ParamGroup g : groups) {
                if (g.params().stream().anyMatch(q -> q == p)) {
                    throw new IllegalArgumentException("some parameters appear in more than one parameter group");
                }
            }
        }
        group.applyDefaults(defaults);
        for (String name : group.options().keySet()) {
            if (!defaults.containsKey(name) && !SCHEDULER_OPTIONS.contains(name)) {
                throw new IllegalArgumentException("parameter group option '" + name + "' is not an option of "
                        + getClass().getSimpleName() + " (options: " + String.join(", ", defaults.keySet()) + ")");
            }
        }
        validate(group);
        groups.add(group);
    }

    /** Checks a group's options; throws with the option name and value when one is invalid. */
    protected void validate(ParamGroup group) {
        double lr = group.lr();
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr);
        }
    }

    /**
     * Option names and values, alternating, as a map that keeps this order: {@code Map.of}'s order changes
     * from one JVM to the next, and the options are written to checkpoints in map order.
     */
    protected static Map<String, Double> options(Object... namesAndValues) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).doubleValue());
        }
        return m;
    }

    /** The default options (PyTorch's {@code optimizer.defaults}): a group's missing options come from these. */
    public Map<String, Double> defaults() {
        return java.util.Collections.unmodifiableMap(defaults);
    }

    /** The parameter groups, in order; schedulers change their {@code lr} (and momentum) in place. */
    public List<ParamGroup> paramGroups() {
        return java.util.Collections.unmodifiableList(groups);
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                p.setGrad(null);
            }
        }
    }

    /** Updates every parameter that has a gradient. */
    public void step() {
        try (var scope = GradMode.noGrad()) {
            for (ParamGroup g : groups) {
                for (Tensor p : g.params()) {
                    if (p.grad() == null) {
                        continue;
                    }
                    update(p, p.grad(), g, state.computeIfAbsent(p, k -> new LinkedHashMap<>()));
                }
            }
        }
    }

    /**
     * One update of {@code p} (contiguous) from {@code grad}, with the group's options and the
     * parameter's state (initially empty, kept between steps).
     */
    protected abstract void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> state);

    /** A state tensor of the parameter's shape, created as zeros on first use. */
    protected static Tensor buffer(Map<String, Tensor> state, String name, Tensor like) {
        return state.computeIfAbsent(name, k -> Tensor.zeros(like.shape()));
    }

    /** The step counter kept in state (a 0-D tensor, as in PyTorch's state dict), incremented. */
    protected static int nextStep(Map<String, Tensor> state) {
        Tensor s = state.get("step");
        int step = s == null ? 1 : (int) s.item() + 1;
        state.put("step", Tensor.scalar(step));
        return step;
    }

    /**
     * PyTorch's state-dict layout: {@code state} maps each parameter's index (in group order) to its
     * buffers; {@code param_groups} lists each group's options and parameter indices.
     */
    public OptimizerState stateDict() {
        Map<Integer, Map<String, Tensor>> s = new LinkedHashMap<>();
        List<Map<String, Object>> gs = new ArrayList<>();
        int index = 0;
        for (ParamGroup g : groups) {
            List<Integer> ids = new ArrayList<>();
            for (Tensor p : g.params()) {
                Map<String, Tensor> st = state.get(p);
                if (st != null) {
                    Map<String, Tensor> copy = new LinkedHashMap<>();
                    st.forEach((k, v) -> copy.put(k, v.detach().clone()));
                    s.put(index, copy);
                }
                ids.add(index++);
            }
            Map<String, Object> opts = new LinkedHashMap<>(g.options());
            opts.put("params", ids);
            gs.add(opts);
        }
        return new OptimizerState(s, gs);
    }

    /** Restores state saved by {@link #stateDict()} from an optimizer over the same parameters. */
    public void loadStateDict(OptimizerState saved) {
        if (saved.paramGroups().size() != groups.size()) {
            throw new IllegalArgumentException("loaded state dict has " + saved.paramGroups().size()
                    + " parameter groups, this optimizer has " + groups.size());
        }
        List<Tensor> all = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            Object ids = saved.paramGroups().get(i).get("params");
            int count = ids instanceof List<?> l ? l.size() : -1;
            if (count != g.params().size()) {
                throw new IllegalArgumentException("loaded state dict's group " + i + " has " + count
                        + " parameters, this optimizer's has " + g.params().size());
            }
            all.addAll(g.params());
        }
        state.clear();
        for (var e : saved.state().entrySet()) {
            int idx = e.getKey();
            if (idx < 0 || idx >= all.size()) {
                throw new IllegalArgumentException("loaded state refers to parameter " + idx + ", but there are " + all.size());
            }
            Tensor p = all.get(idx);
            Map<String, Tensor> st = new LinkedHashMap<>();
            for (var b : e.getValue().entrySet()) {
                Tensor v = b.getValue();
                if (v.dim() > 0 && !java.util.Arrays.equals(v.shape(), p.shape())) {
                    throw new IllegalArgumentException("loaded state '" + b.getKey() + "' of parameter " + idx + " has shape "
                            + java.util.Arrays.toString(v.shape()) + ", the parameter has " + java.util.Arrays.toString(p.shape()));
                }
                st.put(b.getKey(), v.detach().clone());
            }
            state.put(p, st);
        }
        for (int i = 0; i < groups.size(); i++) {
            for (var o : saved.paramGroups().get(i).entrySet()) {
                if (o.getValue() instanceof Number num) {
                    groups.get(i).set(o.getKey(), num.doubleValue());
                }
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            sb.append("\nParameter Group ").append(i);
            // PyTorch's repr lists a group's options sorted by name.
            for (var e : new java.util.TreeMap<>(groups.get(i).options()).entrySet()) {
                sb.append("\n    ").append(e.getKey()).append(": ").append(e.getValue());
            }
        }
        return sb.append("\n)").toString();
    }
}
