package dev.linea.nn;

import dev.linea.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Modules held by name and registered as children under those names, like {@code torch.nn.ModuleDict}:
 * insertion order is kept, and their parameters are trained and saved ({@code heads.cls.weight}). Iterating
 * gives the keys, as Python's iteration over a dict.
 */
public class ModuleDict extends Module implements Iterable<String> {
    private final Map<String, Module> items = new LinkedHashMap<>();

    public ModuleDict() {}

    /** A dict of the entries of {@code modules}, in its iteration order. */
    public ModuleDict(Map<String, ? extends Module> modules) {
        update(modules);
    }

    /** Adds or replaces the module under {@code key}, as {@code heads[key] = m}. */
    public void put(String key, Module m) {
        if (m == null) {
            throw new NullPointerException("ModuleDict holds modules, got null for key '" + key + "'");
        }
        if (key == null || key.isEmpty() || key.contains(".")) {
            throw new IllegalArgumentException("module name can't contain \".\", got: " + key);
        }
        items.put(key, m);
        replaceChildren(items);
    }

    /** Adds or replaces every entry of {@code modules}. */
    public void update(Map<String, ? extends Module> modules) {
        modules.forEach(this::put);
    }

    /** The module under {@code key}; a missing key is an error naming the keys there are (Python's KeyError). */
    public Module get(String key) {
        Module m = items.get(key);
        if (m == null) {
            throw new java.util.NoSuchElementException("'" + key + "' is not in the ModuleDict (keys: " + items.keySet() + ")");
        }
        return m;
    }

    /** Removes and returns the module under {@code key}, as {@code pop(key)}. */
    public Module pop(String key) {
        Module m = get(key);
        items.remove(key);
        replaceChildren(items);
        return m;
    }

    public boolean containsKey(String key) {
        return items.containsKey(key);
    }

    /** Removes every module. */
    public void clear() {
        items.clear();
        replaceChildren(items);
    }

    public Set<String> keys() {
        return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(items.keySet()));
    }

    public Collection<Module> values() {
        return List.copyOf(items.values());
    }

    /** The (key, module) pairs in insertion order, as {@code items()}. */
    public List<Map.Entry<String, Module>> items() {
        List<Map.Entry<String, Module>> out = new ArrayList<>();
        items.forEach((k, v) -> out.add(Map.entry(k, v)));
        return out;
    }

    public int size() {
        return items.size();
    }

    @Override
    public Iterator<String> iterator() {
        return keys().iterator();
    }

    /** PyTorch's error: a ModuleDict is indexed, not called. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("Module [ModuleDict] is missing the required \"forward\" function: "
                + "get a module by key and call its forward");
    }
}
