package dev.linea.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Picks the backend once, at start-up, from the {@link BackendProvider}s that {@link ServiceLoader} finds.
 * {@code -Dlinea.backend=NAME} ({@code scalar}, {@code vector}, or {@code auto}, the default) forces a
 * choice; the older {@code -Dlinea.kernels} is read when it is not set. Under {@code auto} the available
 * provider with the highest priority wins, and when that is the slow scalar reference one line says why
 * the fast one is missing and how to enable it.
 *
 * <p>Only {@code dev.linea.compute} calls {@link #get()}: it is the one road from tensors to the backend.
 */
public final class Backends {

    private static final Backend INSTANCE = choose(System::getProperty);

    private Backends() {}

    /** The backend in use. */
    public static Backend get() {
        return INSTANCE;
    }

    /** The providers on the module or class path, highest priority first. */
    static List<BackendProvider> providers() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader<BackendProvider> loader = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader());
        for (var it = loader.iterator(); ; ) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                System.err.println("Linea: a backend provider could not be loaded (" + e.getMessage() + "); skipping it.");
            }
        }
        if (found.stream().noneMatch(p -> p.name().equals("scalar"))) {
            found.add(new ScalarBackendProvider()); // the reference is always there, services file or not
        }
        found.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return found;
    }

    /** The backend that the system properties {@code properties} ask for (see the class comment). */
    static Backend choose(java.util.function.UnaryOperator<String> properties) {
        String forced = properties.apply("linea.backend");
        String property = "linea.backend";
        if (forced == null || forced.isBlank()) {
            forced = properties.apply("linea.kernels");
            property = "linea.kernels";
        }
        forced = forced == null ? "" : forced.trim().toLowerCase(Locale.ROOT);
        List<BackendProvider> providers = providers();
        if (forced.isEmpty() || forced.equals("auto")) {
            for (BackendProvider p : providers) {
                String why = p.unavailableReason();
                if (why == null) {
                    Backend b = tryCreate(p);
                    if (b != null) {
                        return b;
                    }
                } else if (p.priority() > 0) {
                    System.err.println("Linea: using scalar kernels (slow): " + why + ".");
                }
            }
            return new ScalarBackend();
        }
        for (BackendProvider p : providers) {
            if (p.name().equals(forced)) {
                String why = p.unavailableReason();
                if (why != null) {
                    throw new IllegalStateException(property + "=" + forced + " was requested but " + why);
                }
                Backend b = tryCreate(p);
                if (b == null) {
                    throw new IllegalStateException(property + "=" + forced + " was requested but it could not be created");
                }
                return b;
            }
        }
        throw new IllegalArgumentException(property + " must be 'auto' or one of "
                + providers.stream().map(BackendProvider::name).toList() + ", got '" + forced + "'");
    }

    private static Backend tryCreate(BackendProvider p) {
        try {
            return p.create();
        } catch (RuntimeException | LinkageError e) {
            System.err.println("Linea: the " + p.name() + " backend could not be loaded (" + e + "); trying the next one.");
            return null;
        }
    }
}
