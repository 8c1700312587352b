package dev.linea.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the backend is chosen: ServiceLoader's providers, {@code -Dlinea.backend}, the older {@code -Dlinea.kernels}. */
class BackendsTest {

    private static Backend choose(Map<String, String> properties) {
        return Backends.choose(properties::get);
    }

    @Test
    void serviceLoaderFindsBothProvidersFastestFirst() {
        List<String> names = Backends.providers().stream().map(BackendProvider::name).toList();
        assertEquals(List.of("vector", "scalar"), names);
    }

    @Test
    void autoPicksTheVectorBackendWhenTheModuleIsThere() {
        // The tests run with --add-modules jdk.incubator.vector (the pom's argLine).
        assertTrue(choose(Map.of()).name().startsWith("vector("), choose(Map.of()).name());
        assertTrue(choose(Map.of("linea.backend", " AUTO ")).name().startsWith("vector("));
    }

    @Test
    void aNamedBackendIsTheOneUsed() {
        assertEquals("scalar", choose(Map.of("linea.backend", "scalar")).name());
        assertTrue(choose(Map.of("linea.backend", "vector")).name().startsWith("vector("));
    }

    @Test
    void theOlderPropertyCountsOnlyWhenTheNewOneIsUnset() {
        assertEquals("scalar", choose(Map.of("linea.kernels", "scalar")).name());
        assertTrue(choose(Map.of("linea.kernels", "scalar", "linea.backend", "vector")).name().startsWith("vector("));
    }

    @Test
    void anUnknownNameIsRefusedWithTheChoices() {
        var e = assertThrows(IllegalArgumentException.class, () -> choose(Map.of("linea.backend", "cuda")));
        assertEquals("linea.backend must be 'auto' or one of [vector, scalar], got 'cuda'", e.getMessage());
    }
}
