package dev.linea.nn;

import dev.linea.Generator;

import dev.linea.autograd.GradMode;
import dev.linea.Tensor;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base class of every layer and model, like {@code torch.nn.Module}: it owns parameters, buffers and
 * child modules, and defines {@link #forward(Tensor)}.
 *
 * <p>Fields of type {@link Module} or {@link Parameter} are registered automatically under the field's
 * name, in declaration order, so a model reads like its PyTorch original:
 * <pre>{@code
 * class FCNN extends Module {
 *     final Linear fc1 = new Linear(784, 128);
 *     final Linear fc2 = new Linear(128, 10);
 *     public Tensor forward(Tensor x) { return fc2.forward(F.relu(fc1.forward(x.view(-1, 784)))); }
 * }
 * }</pre>
 * Parameters get PyTorch's dotted names ({@code fc1.weight}), so state dicts move between the two.
 */
public abstract class Module {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    /** Children and parameters registered by name (not found in fields): a field holding one adds no second name. */
    private final java.util.Set<Object> explicit = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private boolean training = true;
    /** The generator bound by {@link #withGenerator} while this module was built, else null (the global one). */
    private Generator generator = BUILDING.isBound() ? BUILDING.get() : null;

    private static final ScopedValue<Generator> BUILDING = ScopedValue.newInstance();

    /** Computes this module's output. */
    public abstract Tensor forward(Tensor input);

    /**
     * Forward for modules that take or return several tensors, as a PyTorch module whose {@code forward}
     * takes several arguments or returns a tuple (the recurrent layers: {@code (output, h_n, c_n)}). The
     * default takes exactly one tensor and returns {@link #forward(Tensor)}'s one; {@link Sequential}
     * chains modules through this method, so a module there receives what the one before it returned.
     */
    public List<Tensor> forward(List<Tensor> inputs) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".forward() takes 1 tensor but "
                    + inputs.size() + " were given");
        }
        return List.of(forward(inputs.get(0)));
    }

    // ---------------------------------------------------------------- registration

    /** Registers (or replaces) a parameter under {@code name}; returns it. */
    protected <P extends Parameter> P registerParameter(String name, P p) {
        checkName(name);
        if (p == null) {
            params.remove(name);
        } else {
            params.put(name, p);
            explicit.add(p);
        }
        return p;
    }

    /** Registers a buffer: state saved in the state dict but not trained (e.g. running statistics). */
    protected Tensor registerBuffer(String name, Tensor t) {
        checkName(name);
        buffers.put(name, t);
        return t;
    }

    /** Registers (or replaces) a child module under {@code name}; returns it. */
    protected <M extends Module> M registerModule(String name, M m) {
        checkName(name);
        children.put(name, m);
        explicit.add(m);
        return m;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module attribute name must be non-empty and contain no '.', got '" + name + "'");
        }
    }

    /** Registers Module and Parameter fields of subclasses, in declaration order (superclass fields first). */
    private void discoverFields() {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = getClass(); c != null && c != Module.class; c = c.getSuperclass()) {
            chain.addFirst(c);
        }
        List<Field> containerFields = new ArrayList<>();
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                    continue;
                }
                boolean isModule = Module.class.isAssignableFrom(f.getType());
                boolean isParam = Parameter.class.isAssignableFrom(f.getType());
                if (!isModule && !isParam) {
                    if (ModuleFields.mayHoldModules(f)) {
                        containerFields.add(f);
                    }
                    continue;
                }
                Object value;
                try {
                    f.setAccessible(true);
                    value = f.get(this);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot read field " + c.getName() + "." + f.getName()
                            + " to register it (" + e.getMessage() + "): open the package to dev.linea.core, "
                            + "or register it explicitly with registerModule/registerParameter", e);
                }
                if (value == null) {
                    continue;
                }
                // A module or parameter in two fields is registered under both names, as PyTorch's
                // setattr does (weight tying: both names are in the state dict).
                if (isModule && !explicit.contains(value) && !children.containsKey(f.getName())) {
                    children.put(f.getName(), (Module) value);
                } else if (isParam && !explicit.contains(value) && !params.containsKey(f.getName())) {
                    params.put(f.getName(), (Parameter) value);
                }
            }
        }
        if (!containerFields.isEmpty()) {
            ModuleFields.refuseUnregistered(this, containerFields, children.values(), params.values());
        }
    }

    // ---------------------------------------------------------------- randomness

    /**
     * Builds modules that draw from {@code gen} instead of the global generator: every module constructed by
     * {@code build} on this thread initialises its parameters from {@code gen} (in construction order) and
     * keeps it as its {@link #generator()} for Dropout masks, without touching the global generator. Two
     * models built this way, each with its own generator, are each reproducible however their training
     * interleaves, on one thread or several; PyTorch's equivalent is passing {@code generator=} wherever
     * randomness is drawn. For example
     * <pre>{@code
     * FCNN model = Module.withGenerator(new Generator(42), () -> new FCNN(0.1f));
     * }</pre>
     * gives the same weights as {@code Linea.manualSeed(42); new FCNN(0.1f)}, and draws its dropout masks
     * from that generator.
     */
    public static <M extends Module> M withGenerator(Generator gen, java.util.function.Supplier<M> build) {
        java.util.Objects.requireNonNull(gen, "generator");
        return ScopedValue.where(BUILDING, gen).call(build::get);
    }

    /**
     * The generator this module draws from (initialisation by {@code resetParameters()}, Dropout): the one set by
     * {@link #setGenerator} or bound by {@link #withGenerator} when it was built, else {@link Generator#global()}.
     */
    public Generator generator() {
        return generator != null ? generator : Generator.global();
    }

    /** Makes this module and its descendants draw from {@code gen} (null: the global generator again). */
    public Module setGenerator(Generator gen) {
        for (Module m : namedModules().values()) {
            m.generator = gen;
        }
        return this;
    }

    /**
     * Re-initialises every parameter of this module and its descendants from {@code gen}, child by child in
     * registration order, each layer as its PyTorch {@code reset_parameters} does ({@code Linear},
     * convolutions, BatchNorm). For a model whose layers are declared in the order they are built (the
     * usual case), {@code new Generator(s)} gives the bits {@code Linea.manualSeed(s)} before the constructor
     * gives. Modules without parameters of their own only pass it on.
     */
    public void resetParameters(Generator gen) {
        java.util.Objects.requireNonNull(gen, "generator");
        for (Module child : namedChildren().values()) {
            child.resetParameters(gen);
        }
    }

    // ---------------------------------------------------------------- structure

    /** Direct children by name, in registration order. */
    public Map<String, Module> namedChildren() {
        discoverFields();
        return java.util.Collections.unmodifiableMap(children);
    }

    /** Direct children. */
    public List<Module> children() {
        return List.copyOf(namedChildren().values());
    }

    /**
     * This module and all descendants, depth first, by dotted name ("" for this one); a module registered
     * under several names appears once, under the first.
     */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String prefix, Map<String, Module> out) {
        if (out.containsValue(this)) {
            return; // a module under two names is listed once, under the first, as PyTorch's named_modules
        }
        out.put(prefix, this);
        for (var e : namedChildren().entrySet()) {
            e.getValue().collectModules(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out);
        }
    }

    /** This module's own parameters (not its children's). */
    public Map<String, Parameter> ownParameters() {
        discoverFields();
        return java.util.Collections.unmodifiableMap(params);
    }

    /** Every parameter, by PyTorch's dotted name ({@code fc1.weight}). */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (var m : namedModules().entrySet()) {
            String prefix = m.getKey().isEmpty() ? "" : m.getKey() + ".";
            for (var p : m.getValue().ownParameters().entrySet()) {
                if (!out.containsValue(p.getValue())) {
                    out.put(prefix + p.getKey(), p.getValue());
                }
            }
        }
        return out;
    }

    /** Every parameter, for an optimizer. */
    public List<Parameter> parameters() {
        return List.copyOf(namedParameters().values());
    }

    /** Every buffer by dotted name. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var m : namedModules().entrySet()) {
            String prefix = m.getKey().isEmpty() ? "" : m.getKey() + ".";
            for (var b : m.getValue().buffers.entrySet()) {
                out.put(prefix + b.getKey(), b.getValue());
            }
        }
        return out;
    }

    /** The number of parameter elements (trainable and frozen). */
    public long parameterCount() {
        return parameters().stream().mapToLong(Tensor::numel).sum();
    }

    /** The number of trainable parameter elements. */
    public long trainableParameterCount() {
        return parameters().stream().filter(Tensor::requiresGrad).mapToLong(Tensor::numel).sum();
    }

    // ---------------------------------------------------------------- modes and gradients

    /** Switches this module and its descendants to training mode (Dropout active, BatchNorm updating). */
    public Module train() {
        return train(true);
    }

    public Module train(boolean mode) {
        for (Module m : namedModules().values()) {
            m.training = mode;
        }
        return this;
    }

    /** Switches to evaluation mode. */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** Clears the gradients of every parameter. */
    public void zeroGrad() {
        for (Parameter p : parameters()) {
            p.setGrad(null);
        }
    }

    // ---------------------------------------------------------------- state

    /**
     * Parameters and buffers by dotted name: the tensors to save. As PyTorch's {@code state_dict}, a module
     * or parameter registered under several names (weight tying) is listed under each of them.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        ownParameters().forEach((k, v) -> out.put(prefix + k, v));
        buffers.forEach((k, v) -> out.put(prefix + k, v));
        namedChildren().forEach((k, m) -> m.collectState(prefix + k + ".", out));
    }

    /**
     * Copies values from {@code state} into this module's parameters and buffers. Every name must be
     * present with the same shape; extra names are errors too (PyTorch's {@code strict=True}).
     */
    public void loadStateDict(Map<String, Tensor> state) {
        loadStateDict(state, true);
    }

    /**
     * As PyTorch's {@code load_state_dict(state, strict)}: copies every entry whose name this module has
     * (shapes must match, else PyTorch's size-mismatch error); with {@code strict} any missing or unexpected
     * name is an error and nothing is copied, otherwise they are returned.
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> mine = stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), errors = new ArrayList<>();
        for (String k : mine.keySet()) {
            if (!state.containsKey(k)) {
                missing.add(k);
            }
        }
        for (String k : state.keySet()) {
            if (!mine.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (strict) {
            if (!missing.isEmpty()) {
                errors.add("Missing key(s) in state_dict: " + IncompatibleKeys.quoted(missing) + ".");
            }
            if (!unexpected.isEmpty()) {
                errors.add("Unexpected key(s) in state_dict: " + IncompatibleKeys.quoted(unexpected) + ".");
            }
        }
        for (var e : mine.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null && !Arrays.equals(src.shape(), e.getValue().shape())) {
                errors.add("size mismatch for " + e.getKey() + ": copying a param with shape "
                        + IncompatibleKeys.size(src.shape()) + " from checkpoint, the shape in current model is "
                        + IncompatibleKeys.size(e.getValue().shape()) + ".");
            }
        }
        if (!errors.isEmpty()) {
            // PyTorch's text, on one line (PyTorch puts each part on its own line, after a tab): Linea's errors
            // reach the user as one line, e.g. through a checkpoint's "does not fit the model: ...".
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + getClass().getSimpleName()
                    + ": " + String.join(" ", errors));
        }
        try (var g = GradMode.noGrad()) {
            for (var e : mine.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) {
                    e.getValue().copy_(src);
                }
            }
        }
        return new IncompatibleKeys(List.copyOf(missing), List.copyOf(unexpected));
    }

    /** Replaces every child: {@link ModuleList} and {@link ModuleDict} renaming theirs after a change. */
    void replaceChildren(Map<String, Module> kids) {
        children.clear();
        explicit.removeIf(o -> o instanceof Module);
        for (var e : kids.entrySet()) {
            registerModule(e.getKey(), e.getValue());
        }
    }

    // ---------------------------------------------------------------- printing

    /** The text inside this module's parentheses, e.g. {@code in_features=784, out_features=128, bias=True}. */
    public String extraRepr() {
        return "";
    }

    /** PyTorch's module format, children indented and named: {@code (fc1): Linear(...)}. */
    @Override
    public String toString() {
        Map<String, Module> kids = namedChildren();
        String name = getClass().getSimpleName();
        String extra = extraRepr();
        if (kids.isEmpty()) {
            return name + "(" + extra + ")";
        }
        StringBuilder sb = new StringBuilder(name).append("(");
        if (!extra.isEmpty()) {
            sb.append("\n  ").append(extra.replace("\n", "\n  "));
        }
        for (var e : kids.entrySet()) {
            sb.append("\n  (").append(e.getKey()).append("): ").append(e.getValue().toString().replace("\n", "\n  "));
        }
        return sb.append("\n)").toString();
    }

    /**
     * A table of the layers a forward pass of one input of {@code inputShape} goes through: name and type,
     * output shape and parameter count, with totals (109,386 parameters for the tutorial's FCNN).
     */
    public String summary(int... inputShape) {
        return Summary.of(this, inputShape);
    }

    /** Built-in layers pass their result through here so {@link #summary} can see each layer's output. */
    protected final Tensor recordOutput(Tensor output) {
        Summary.observe(this, output);
        return output;
    }
}
