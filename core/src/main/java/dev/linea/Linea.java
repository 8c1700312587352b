package dev.linea;

import dev.linea.compute.Ops;
import dev.linea.backend.Parallel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Library-wide settings: the random seed and the number of threads; and Linea's version.
 */
public final class Linea {
    private static final String VERSION = readVersion();

    private Linea() {}

    /**
     * Linea's version, e.g. {@code 0.2.0}: the Maven project version the core jar was built from (model
     * cards record it, so a file says which Linea wrote it).
     */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = Linea.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/linea/version.properties is missing from Linea's core jar");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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
