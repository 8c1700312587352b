package dev.linea.kernels;

/**
 * Picks the kernel implementation once, at start-up. The Vector API implementation is used when the
 * {@code jdk.incubator.vector} module is present; otherwise the scalar reference is used and one line
 * says how to enable the fast one. The system property {@code linea.kernels} ({@code scalar} or
 * {@code vector}) forces a choice.
 */
public final class KernelProvider {

    private static final Kernels INSTANCE = choose();

    private KernelProvider() {}

    /** The kernels in use. */
    public static Kernels get() {
        return INSTANCE;
    }

    private static Kernels choose() {
        String forced = System.getProperty("linea.kernels", "").trim().toLowerCase(java.util.Locale.ROOT);
        switch (forced) {
            case "", "auto" -> {
                Kernels v = tryVector();
                if (v != null) {
                    return v;
                }
                System.err.println("Linea: using scalar kernels (slow): the Vector API module is not available. "
                        + "Run java with --add-modules jdk.incubator.vector to enable the fast kernels.");
                return new ScalarKernels();
            }
            case "scalar" -> {
                return new ScalarKernels();
            }
            case "vector" -> {
                Kernels v = tryVector();
                if (v == null) {
                    throw new IllegalStateException("linea.kernels=vector was requested but jdk.incubator.vector "
                            + "is not available: run java with --add-modules jdk.incubator.vector");
                }
                return v;
            }
            default -> throw new IllegalArgumentException(
                    "linea.kernels must be 'scalar', 'vector' or 'auto', got '" + forced + "'");
        }
    }

    /** Loads the Vector API kernels reflectively so that this class never links against the incubator module. */
    private static Kernels tryVector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return (Kernels) Class.forName("dev.linea.kernels.vector.VectorKernels")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("Linea: the Vector API kernels could not be loaded (" + e + "); using scalar kernels.");
            return null;
        }
    }
}
