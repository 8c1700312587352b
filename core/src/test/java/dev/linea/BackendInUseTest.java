package dev.linea;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Fails a test pass whose kernels are not the ones it asked for, so that core/pom.xml's extra passes (the
 * scalar backend, 256-bit vectors) cannot quietly test the default kernels instead.
 *
 * <p>Each surefire execution names what it expects in {@code linea.test.expectedBackend}: {@code scalar},
 * {@code vector} (the Vector API at any width) or an exact name such as {@code vector(256-bit)}. A pass that
 * forces a backend with {@code -Dlinea.backend} (or the older {@code -Dlinea.kernels}) must expect that same kind.
 */
class BackendInUseTest {
    private static final String EXPECTED = System.getProperty("linea.test.expectedBackend");

    @Test
    void theKernelsInUseAreTheOnesThisPassAskedFor() {
        assumeTrue(EXPECTED != null, "linea.test.expectedBackend is not set (run through Maven: core/pom.xml sets it)");
        String inUse = Linea.backend();
        switch (EXPECTED) {
            case "scalar" -> assertEquals("scalar", inUse, "this pass asked for the scalar kernels");
            case "vector" -> assertTrue(inUse.matches("vector\\(\\d+-bit\\)"),
                    "this pass asked for the Vector API kernels (--add-modules jdk.incubator.vector), got " + inUse);
            default -> assertEquals(EXPECTED, inUse, "this pass asked for " + EXPECTED
                    + " (a vector width the CPU does not have reads narrower)");
        }
        // A pass that forces a backend must expect that kind, or the pom contradicts itself.
        for (String property : new String[] {"linea.kernels", "linea.backend"}) {
            String forced = System.getProperty(property, "").trim().toLowerCase(Locale.ROOT);
            if (!forced.isEmpty() && !forced.equals("auto")) {
                assertEquals(forced, EXPECTED.replaceFirst("\\(.*", ""),
                        "-D" + property + "=" + forced + " but linea.test.expectedBackend=" + EXPECTED);
            }
        }
    }
}
