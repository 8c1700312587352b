package dev.linea.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options a model is built with, as a model card records them: a JSON object of strings, numbers,
 * booleans and lists of them, e.g. {@code {"dropout": 0.1}}. Immutable. Numbers are kept as {@code Long}
 * (whole numbers) or {@code Double}, the way they come back from JSON, so a config equals itself after a
 * round trip through a file; a {@code float} is stored as the double of its decimal form (0.1f → 0.1).
 * The typed getters give one clear error naming the model and the key when a value has the wrong type.
 */
public final class ModelConfig {
    private final String model;
    private final Map<String, Object> values;

    /**
     * @param model the architecture's name, for error messages
     * @param values the options; keys non-empty, values as the class comment says
     * @throws IllegalArgumentException naming the key of a value that is not one of those types
     */
    public ModelConfig(String model, Map<String, ?> values) {
        this.model = model;
        Map<String, Object> copy = new LinkedHashMap<>();
        for (var e : values.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new IllegalArgumentException("config of model '" + model + "' has an empty key");
            }
            copy.put(e.getKey(), normalized(e.getKey(), e.getValue()));
        }
        this.values = Collections.unmodifiableMap(copy);
    }

    private Object normalized(String key, Object v) {
        return switch (v) {
            case String s -> s;
            case Boolean b -> b;
            case Float f -> Double.valueOf(Float.toString(f));
            case Double d -> d;
            case Integer i -> (long) i;
            case Long l -> l;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case List<?> l -> {
                List<Object> out = new ArrayList<>();
                for (Object o : l) {
                    if (o instanceof List<?>) {
                        throw new IllegalArgumentException("config '" + key + "' of model '" + model
                                + "': lists of lists are not supported");
                    }
                    out.add(normalized(key, o));
                }
                yield Collections.unmodifiableList(out);
            }
            case null -> throw new IllegalArgumentException("config '" + key + "' of model '" + model + "' is null");
            default -> throw new IllegalArgumentException("config '" + key + "' of model '" + model + "' is a "
                    + v.getClass().getName() + "; a config holds strings, numbers, booleans and lists of them");
        };
    }

    /** The architecture's name. */
    public String model() {
        return model;
    }

    /** All options, in insertion order (unmodifiable). */
    public Map<String, Object> asMap() {
        return values;
    }

    /** Whether option {@code key} is set. */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** Option {@code key} as a float, or {@code otherwise} when it is not set. */
    public float getFloat(String key, float otherwise) {
        Object v = values.get(key);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Number n)) {
            throw wrongType(key, "a number", v);
        }
        return n.floatValue();
    }

    /** Option {@code key} as an int, or {@code otherwise} when it is not set. */
    public int getInt(String key, int otherwise) {
        Object v = values.get(key);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Long n) || n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw wrongType(key, "a whole number (int)", v);
        }
        return n.intValue();
    }

    /** Option {@code key} as a string, or {@code otherwise} when it is not set. */
    public String getString(String key, String otherwise) {
        Object v = values.get(key);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof String s)) {
            throw wrongType(key, "a string", v);
        }
        return s;
    }

    /** Option {@code key} as a boolean, or {@code otherwise} when it is not set. */
    public boolean getBoolean(String key, boolean otherwise) {
        Object v = values.get(key);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Boolean b)) {
            throw wrongType(key, "true or false", v);
        }
        return b;
    }

    /**
     * Refuses options other than {@code known}: a file written by a newer Linea, or for another
     * architecture, must not load into a model that silently ignores what it cannot build.
     *
     * @throws IllegalArgumentException listing the unknown and the known keys
     */
    public void requireOnly(String... known) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(List.of(known));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("model '" + model + "' has no option " + String.join(", ", unknown)
                    + " (its options: " + (known.length == 0 ? "none" : String.join(", ", known)) + ")");
        }
    }

    private IllegalArgumentException wrongType(String key, String expected, Object v) {
        return new IllegalArgumentException("config '" + key + "' of model '" + model + "' must be " + expected
                + ", got " + (v instanceof String ? "\"" + v + "\"" : v));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && c.model.equals(model) && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return model.hashCode() * 31 + values.hashCode();
    }

    /** The options as JSON-like text, e.g. {@code fcnn{dropout=0.1}}. */
    @Override
    public String toString() {
        return model + values;
    }
}
