package dev.linea.nn;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The check {@link Module} runs on fields that are neither a {@link Module} nor a {@link Parameter}: a
 * {@code List}, {@code Map} or array holding modules or parameters that are not registered would be
 * neither trained nor saved (PyTorch ignores a plain list just as silently), so it is refused with the
 * container to use instead. Containers whose elements are all registered (as {@link Sequential}'s own
 * list) are fine.
 */
final class ModuleFields {
    private ModuleFields() {}

    /** Whether a field's declared type can hold modules: a collection, a map, an object array or Object. */
    static boolean mayHoldModules(Field f) {
        Class<?> type = f.getType();
        return Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)
                || type.isArray() && !type.getComponentType().isPrimitive() || type == Object.class;
    }

    /**
     * Throws when one of {@code fields} of {@code owner} holds a module or parameter that is registered
     * neither directly nor in a registered descendant.
     */
    static void refuseUnregistered(Module owner, List<Field> fields, Collection<Module> children,
                                   Collection<Parameter> params) {
        java.util.Set<Object> known = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        known.addAll(params);
        for (Module child : children) {
            known.addAll(child.namedModules().values());
            known.addAll(child.parameters());
        }
        for (Field f : fields) {
            check(owner, f, known);
        }
    }

    private static void check(Module owner, Field f, java.util.Set<Object> known) {
        Object value;
        try {
            f.setAccessible(true);
            value = f.get(owner);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return; // not readable: nothing Linea could register from it either
        }
        List<Object> elements = new ArrayList<>();
        String kind;
        if (value instanceof Collection<?> c) {
            elements.addAll(c);
            kind = "List";
        } else if (value instanceof Map<?, ?> m) {
            elements.addAll(m.values());
            kind = "Map";
        } else if (value instanceof Object[] a) {
            elements.addAll(List.of(a));
            kind = "array";
        } else {
            return;
        }
        int modules = 0, parameters = 0;
        for (Object e : elements) {
            if (e instanceof Module m && !known.contains(m)) {
                modules++;
            } else if (e instanceof Parameter p && !known.contains(p)) {
                parameters++;
            }
        }
        if (modules + parameters == 0) {
            return;
        }
        String what = modules > 0 ? modules + " module(s)" : parameters + " parameter(s)";
        String use = modules > 0 ? (kind.equals("Map") ? "ModuleDict" : "ModuleList") : "registerParameter for each";
        throw new IllegalStateException("field " + f.getDeclaringClass().getSimpleName() + "." + f.getName() + " holds a "
                + kind + " with " + what + " that are not registered, so they would be neither trained nor saved "
                + "(PyTorch ignores a plain " + (kind.equals("Map") ? "dict" : "list") + " too): use " + use
                + ", or registerModule each one");
    }
}
