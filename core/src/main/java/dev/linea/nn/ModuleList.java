package dev.linea.nn;

import dev.linea.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Modules held in a list and registered as children named {@code 0, 1, 2, ...}, like
 * {@code torch.nn.ModuleList}: their parameters are trained and saved ({@code layers.0.weight}). It has no
 * forward of its own; a model iterates over it.
 * <pre>{@code
 * final ModuleList layers = new ModuleList(new Linear(4, 8), new Linear(8, 8));
 * layers.append(new Linear(8, 2));
 * for (Module m : layers) { x = m.forward(x); }
 * }</pre>
 * Inserting or removing renumbers the names after that point, as PyTorch's does.
 */
public class ModuleList extends Module implements Iterable<Module> {
    private final List<Module> items = new ArrayList<>();

    public ModuleList(Module... modules) {
        extend(List.of(modules));
    }

    public ModuleList(Iterable<? extends Module> modules) {
        extend(modules);
    }

    /** Adds {@code m} at the end; returns this list. */
    public ModuleList append(Module m) {
        items.add(checked(m));
        renumber();
        return this;
    }

    /** Adds every module of {@code modules} at the end; returns this list. */
    public ModuleList extend(Iterable<? extends Module> modules) {
        for (Module m : modules) {
            items.add(checked(m));
        }
        renumber();
        return this;
    }

    /** Inserts {@code m} before position {@code index} (negative counts from the end, as Python's insert). */
    public void insert(int index, Module m) {
        int n = items.size();
        int i = index < 0 ? Math.max(0, index + n) : Math.min(index, n);
        items.add(i, checked(m));
        renumber();
    }

    /** The module at {@code index} (negative counts from the end). */
    public Module get(int index) {
        return items.get(position(index));
    }

    /** Replaces the module at {@code index}. */
    public void set(int index, Module m) {
        items.set(position(index), checked(m));
        renumber();
    }

    /** Removes and returns the module at {@code index}, as {@code del layers[i]} (later ones move down). */
    public Module remove(int index) {
        Module m = items.remove(position(index));
        renumber();
        return m;
    }

    /** The modules {@code start..end-1} as a new ModuleList, as {@code layers[start:end]}. */
    public ModuleList slice(int start, int end) {
        int n = items.size();
        int s = Math.clamp(start < 0 ? start + n : start, 0, n), e = Math.clamp(end < 0 ? end + n : end, s, n);
        return new ModuleList(items.subList(s, e));
    }

    /** The number of modules, as {@code len(layers)}. */
    public int size() {
        return items.size();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    @Override
    public Iterator<Module> iterator() {
        return List.copyOf(items).iterator();
    }

    /** PyTorch's error: a ModuleList is iterated over, not called. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("Module [ModuleList] is missing the required \"forward\" function: "
                + "iterate over it and call each module's forward");
    }

    private int position(int index) {
        int n = items.size();
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range (ModuleList of " + n + " modules)");
        }
        return i;
    }

    private static Module checked(Module m) {
        if (m == null) {
            throw new NullPointerException("ModuleList holds modules, got null");
        }
        return m;
    }

    private void renumber() {
        Map<String, Module> kids = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            kids.put(Integer.toString(i), items.get(i));
        }
        replaceChildren(kids);
    }
}
