package dev.linea;

import dev.linea.compute.Ops;
import dev.linea.backend.Parallel;

/**
 * Library-wide settings: the random seed and the number of threads.
 */
public final class Linea {
    private Linea() {}

    /** Seeds Linea's one random generator: the same seed gives the same numbers on every run and thread count. */
    public static void manualSeed(long seed) {
        Generator.global().manualSeed(seed);
    }

    /** Sets the number of threads the kernels use (default: the available processors). */
    public static void setNumThreads(int n) {
        Parallel.setNumThreads(n);
    }

    /** The number of threads the kernels use. */
    public static int numThreads() {
        return Parallel.numThreads();
    }

    /**
     * The backend in use, e.g. {@code vector(512-bit)} or {@code scalar}: chosen at start-up, or forced
     * with {@code -Dlinea.backend=scalar|vector}.
     */
    public static String backend() {
        return Ops.backendName();
    }
}
