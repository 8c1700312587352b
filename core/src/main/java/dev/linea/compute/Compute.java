package dev.linea.compute;

import dev.linea.backend.Backend;
import dev.linea.backend.Backends;

/**
 * The one road down to the backend: every computation above ({@code Tensor}, {@code nn.functional},
 * {@code optim}, {@code io}, {@code data}) calls a class of this package, and only this package holds the
 * {@link Backend} chosen at start-up ({@link Backends#get()}). Nothing here records autograd: the classes
 * take tensors, read their storage, and return fresh tensors (or {@link Fused} results that
 * {@code nn.functional} records).
 */
final class Compute {
    /** The backend in use, chosen once. */
    static final Backend K = Backends.get();

    private Compute() {}
}
