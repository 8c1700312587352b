package dev.linea.backend;

/**
 * A way to make a {@link Backend}, found with {@link java.util.ServiceLoader} (module {@code provides}, or
 * {@code META-INF/services} on the class path). {@link Backends} picks one at start-up: the one named by
 * {@code -Dlinea.backend=NAME}, else the available one with the highest {@link #priority()}.
 *
 * <p>A provider must be cheap to construct and must not touch optional modules (the Vector API, a
 * device library) before {@link #create()}: {@link #unavailableReason()} is asked first.
 */
public interface BackendProvider {

    /** The name {@code -Dlinea.backend} selects, e.g. {@code "scalar"} or {@code "vector"}. */
    String name();

    /** Higher wins when no backend is named; the scalar reference is 0. */
    int priority();

    /** Null when this backend can run here; otherwise why not, and what to do about it (one sentence). */
    String unavailableReason();

    /** Makes the backend; called once, and only when {@link #unavailableReason()} is null. */
    Backend create();
}
