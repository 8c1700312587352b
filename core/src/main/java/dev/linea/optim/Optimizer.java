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
            Map<String, Object> opts = new LinkedHashMap<>();
            Map<String, Double> own = g.options();
            own.forEach((k, v) -> {
                if (k.equals("beta1") && own.containsKey("beta2")) { // PyTorch's pair: "betas": [0.9, 0.999]
                    opts.put("betas", List.of(v, own.get("beta2")));
                } else if (!k.equals("beta2") || !own.containsKey("beta1")) {
                    opts.put(k, v);
                }
            });
            opts.put("params", ids);
            gs.add(opts);
        }
        return new OptimizerState(s, gs);
    }

    /**
     * The names of the per-parameter state this optimizer keeps, PyTorch's ({@code exp_avg}, {@code step}, ...):
     * {@code step} is a 0-D whole-number counter, every other entry a buffer of the parameter's shape.
     * {@link #loadStateDict} refuses any other name. Null (the default, for optimizers written outside Linea)
     * accepts any name, with the same rule for shapes.
     */
    protected java.util.Set<String> stateNames() {
        return null;
    }

    /**
     * The entries a parameter's state must hold, once it holds any, under {@code group}'s options: those the
     * first step creates together (PyTorch's optimizers fail with a {@code KeyError} on a state lacking one).
     */
    protected java.util.Set<String> requiredState(ParamGroup group) {
        return java.util.Set.of();
    }

    /** Linea's optimizers by their state and option names, to say which one a foreign state dict came from. */
    private static final Map<String, java.util.Set<String>> KNOWN = knownOptimizers();

    private static Map<String, java.util.Set<String>> knownOptimizers() {
        Map<String, java.util.Set<String>> m = new LinkedHashMap<>();
        m.put("SGD", java.util.Set.of("momentum_buffer", "momentum", "dampening", "nesterov"));
        m.put("Adam or AdamW", java.util.Set.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq", "beta1", "beta2", "eps",
                "amsgrad"));
        m.put("RMSprop", java.util.Set.of("step", "square_avg", "grad_avg", "momentum_buffer", "alpha", "eps",
                "momentum", "centered"));
        return m;
    }

    /** ", a state of SGD" when {@code names} are all SGD's and not this optimizer's (likewise the others), else "". */
    private String origin(java.util.Collection<String> names) {
        for (var e : KNOWN.entrySet()) {
            if (e.getValue().containsAll(names) && !e.getKey().contains(getClass().getSimpleName())) {
                return " (a state of " + e.getKey() + ", not " + getClass().getSimpleName() + ")";
            }
        }
        return "";
    }

    /**
     * Restores state saved by {@link #stateDict()} from an optimizer of the same kind over the same parameters:
     * the groups' options and every parameter's buffers. Everything is checked before anything changes, so a
     * refused state leaves this optimizer as it was: the group and parameter counts, every option of this
     * optimizer present and valid (an SGD state dict is not an Adam one), the buffer names this optimizer
     * keeps ({@link #stateNames()}, all of {@link #requiredState} together), every buffer of its parameter's
     * shape and finite, and {@code step} a 0-D whole number ≥ 0.
     *
     * @throws IllegalArgumentException one line naming the group, parameter index, entry and values at fault
     */
    public void loadStateDict(OptimizerState saved) {
        String me = getClass().getSimpleName();
        if (saved.paramGroups().size() != groups.size()) {
            throw new IllegalArgumentException("loaded state dict has " + saved.paramGroups().size()
                    + " parameter groups, this optimizer has " + groups.size());
        }
        List<Tensor> all = new ArrayList<>();
        List<ParamGroup> restored = new ArrayList<>();
        List<ParamGroup> groupOf = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            Map<String, Object> savedGroup = saved.paramGroups().get(i);
            Object ids = savedGroup.get("params");
            int count = ids instanceof List<?> l ? l.size() : -1;
            if (count != g.params().size()) {
                throw new IllegalArgumentException("loaded state dict's group " + i + " has " + count
                        + " parameters, this optimizer's has " + g.params().size());
            }
            ParamGroup merged = mergedOptions(g, savedGroup, i, me);
            restored.add(merged);
            all.addAll(g.params());
            for (int k = 0; k < g.params().size(); k++) {
                groupOf.add(merged);
            }
        }
        Map<Tensor, Map<String, Tensor>> loaded = new IdentityHashMap<>();
        java.util.Set<String> names = stateNames();
        for (var e : saved.state().entrySet()) {
            int idx = e.getKey();
            if (idx < 0 || idx >= all.size()) {
                throw new IllegalArgumentException("loaded state refers to parameter " + idx + ", but there are " + all.size());
            }
            Tensor p = all.get(idx);
            Map<String, Tensor> buffers = e.getValue();
            if (names != null && !names.containsAll(buffers.keySet())) {
                List<String> foreign = buffers.keySet().stream().filter(k -> !names.contains(k)).toList();
                throw new IllegalArgumentException("loaded state of parameter " + idx + " holds " + foreign + origin(buffers.keySet())
                        + "; " + me + " keeps " + String.join(", ", new java.util.TreeSet<>(names)));
            }
            Map<String, Tensor> st = new LinkedHashMap<>();
            for (var b : buffers.entrySet()) {
                checkEntry(idx, b.getKey(), b.getValue(), p);
                st.put(b.getKey(), b.getValue().detach().clone());
            }
            if (!buffers.isEmpty()) {
                List<String> missing = requiredState(groupOf.get(idx)).stream().filter(k -> !buffers.containsKey(k))
                        .sorted().toList();
                if (!missing.isEmpty()) {
                    throw new IllegalArgumentException("loaded state of parameter " + idx + " lacks " + missing + " (it holds "
                            + buffers.keySet() + "; " + me + " keeps them together)");
                }
            }
            loaded.put(p, st);
        }
        state.clear();
        state.putAll(loaded);
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            restored.get(i).options().forEach(g::set);
        }
    }

    /** {@code g}'s options with the saved group's numbers over them, checked as a new group would be. */
    private ParamGroup mergedOptions(ParamGroup g, Map<String, Object> given, int i, String me) {
        Map<String, Object> savedGroup = upgraded(given, i);
        List<String> lacking = defaults.keySet().stream().filter(k -> !savedGroup.containsKey(k)).toList();
        if (!lacking.isEmpty()) {
            List<String> others = savedGroup.keySet().stream()
                    .filter(k -> !k.equals("params") && !defaults.containsKey(k) && !SCHEDULER_OPTIONS.contains(k)).sorted()
                    .toList();
            throw new IllegalArgumentException("loaded parameter group " + i + " lacks " + me + "'s options " + lacking
                    + (others.isEmpty() ? "" : " and has " + others + origin(others)));
        }
        Map<String, Double> options = new LinkedHashMap<>(g.options());
        for (var o : savedGroup.entrySet()) {
            Object v = o.getValue();
            if (o.getKey().equals("params")) {
                continue;
            }
            if (v instanceof Number num) {
                options.put(o.getKey(), num.doubleValue());
            } else if (v instanceof Boolean flag) { // PyTorch's nesterov=True, centered=False
                options.put(o.getKey(), flag ? 1.0 : 0.0);
            } else if (defaults.containsKey(o.getKey())) {
                throw new IllegalArgumentException("loaded parameter group " + i + ": option '" + o.getKey()
                        + "' is not a number: " + v);
            }
        }
        ParamGroup merged = new ParamGroup(g.params(), options);
        try {
            validate(merged);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("loaded parameter group " + i + ": " + e.getMessage(), e);
        }
        return merged;
    }

    /**
     * Options a state saved by an older version may lack, with the value they then take (PyTorch's
     * {@code __setstate__}, e.g. Adam's {@code amsgrad=False}). None by default.
     */
    protected Map<String, Double> optionsOfOlderStates() {
        return Map.of();
    }

    /**
     * A saved group in this optimizer's option names: PyTorch's {@code "betas": [b1, b2]} pair as
     * {@code beta1}, {@code beta2} (Linea's own earlier states wrote those directly), and the options of
     * {@link #optionsOfOlderStates()} filled in where absent.
     */
    private Map<String, Object> upgraded(Map<String, Object> saved, int i) {
        Map<String, Object> out = new LinkedHashMap<>(saved);
        Object betas = out.remove("betas");
        if (betas != null) {
            if (!(betas instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof Number b1)
                    || !(pair.get(1) instanceof Number b2)) {
                throw new IllegalArgumentException("loaded parameter group " + i
                        + ": option 'betas' must be a pair of numbers, got " + betas);
            }
            out.putIfAbsent("beta1", b1.doubleValue()); // explicit beta1/beta2 win over the pair
            out.putIfAbsent("beta2", b2.doubleValue());
        }
        optionsOfOlderStates().forEach(out::putIfAbsent);
        return out;
    }

    /** Refuses a state entry of the wrong shape, with non-finite values, or a step that is no count. */
    private static void checkEntry(int idx, String name, Tensor v, Tensor p) {
        String what = "loaded state '" + name + "' of parameter " + idx;
        if (name.equals("step")) {
            float step = v.dim() == 0 ? v.item() : Float.NaN;
            if (v.dim() != 0) {
                throw new IllegalArgumentException(what + " has shape " + java.util.Arrays.toString(v.shape())
                        + ", a step count is 0-D");
            }
            if (!(step >= 0 && step <= Integer.MAX_VALUE && step == Math.rint(step))) {
                throw new IllegalArgumentException(what + " is " + step + ", not a whole number of steps >= 0");
            }
            return;
        }
        if (!java.util.Arrays.equals(v.shape(), p.shape())) {
            throw new IllegalArgumentException(what + " has shape " + java.util.Arrays.toString(v.shape())
                    + ", the parameter has " + java.util.Arrays.toString(p.shape()));
        }
        float[] values = v.toFloatArray();
        int bad = 0, first = -1;
        for (int k = 0; k < values.length; k++) {
            if (!Float.isFinite(values[k])) {
                bad++;
                first = first < 0 ? k : first;
            }
        }
        if (bad > 0) {
            throw new IllegalArgumentException(what + " holds " + bad + " non-finite value" + (bad == 1 ? "" : "s")
                    + " (first: " + values[first] + " at flat index " + first + ")");
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
