package dev.linea.backend.vector;

import dev.linea.backend.Backend;
import dev.linea.backend.BackendProvider;

/**
 * Provides {@link VectorBackend} (SIMD on the Vector API) when the JVM has {@code jdk.incubator.vector}.
 * This class itself links nothing from that module, so it can be loaded and asked without it.
 */
public final class VectorBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public String unavailableReason() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "the Vector API module is not available: run java with --add-modules jdk.incubator.vector";
        }
        return null;
    }

    @Override
    public Backend create() {
        return new VectorBackend();
    }
}
