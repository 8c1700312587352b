package dev.linea.backend;

/** Provides {@link ScalarBackend}, the plain-Java reference: always available, lowest priority. */
public final class ScalarBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public Backend create() {
        return new ScalarBackend();
    }
}
