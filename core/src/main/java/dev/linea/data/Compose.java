package dev.linea.data;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Transforms applied in order, as built by {@link Transform#andThen}; nested compositions are
 * flattened so {@link #steps()} lists the individual steps.
 *
 * @param <A> what the first step takes
 * @param <B> what the last step gives
 */
public final class Compose<A, B> implements Transform<A, B> {
    private final List<Transform<?, ?>> steps;

    private Compose(List<Transform<?, ?>> steps) {
        this.steps = List.copyOf(steps);
    }

    /** {@code first} then {@code second}. */
    static <A, B, C> Compose<A, C> of(Transform<A, ? extends B> first, Transform<? super B, ? extends C> second) {
        List<Transform<?, ?>> steps = new ArrayList<>();
        add(steps, first);
        add(steps, second);
        return new Compose<>(steps);
    }

    private static void add(List<Transform<?, ?>> steps, Transform<?, ?> t) {
        if (t instanceof Compose<?, ?> c) {
            steps.addAll(c.steps);
        } else {
            steps.add(t);
        }
    }

    /** The steps, in the order they run. */
    public List<Transform<?, ?>> steps() {
        return steps;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public B apply(A input) {
        Object x = input;
        for (Transform step : steps) {
            x = step.apply(x); // types were checked when the chain was built
        }
        return (B) x;
    }

    @Override
    public boolean pointwise() {
        return steps.stream().allMatch(Transform::pointwise);
    }

    @Override
    public String toString() {
        return "Compose(" + steps.stream().map(Object::toString).collect(Collectors.joining(", ")) + ")";
    }
}
