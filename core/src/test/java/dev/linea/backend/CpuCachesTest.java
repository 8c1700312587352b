package dev.linea.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link CpuCaches}: sysfs's size strings, and this machine's L1 size and cache list where sysfs has them. */
class CpuCachesTest {

    @Test
    void parsesSysfsSizesAndRejectsAnythingElse() {
        assertEquals(48 * 1024, CpuCaches.parseSize("48K"));
        assertEquals(32L * 1024 * 1024, CpuCaches.parseSize("32M"));
        assertEquals(1024 * 1024, CpuCaches.parseSize("1024k"));
        assertEquals(4096, CpuCaches.parseSize("4096"));
        for (String bad : new String[] {"", "K", "-3K", "0K", "big", "12Q"}) {
            assertEquals(-1, CpuCaches.parseSize(bad), bad);
        }
    }

    @Test
    void readsTheLevelOneDataCacheWhereLinuxHasOne() throws Exception {
        Path index0 = Path.of("/sys/devices/system/cpu/cpu0/cache/index0");
        long l1d = CpuCaches.l1d();
        String summary = CpuCaches.summary();
        if (Files.isDirectory(index0)) {
            assertTrue(l1d >= 8 * 1024 && l1d <= 4 * 1024 * 1024, "L1d of " + l1d + " bytes");
            assertTrue(summary.startsWith(", L1d " + l1d / 1024 + "K"), summary);
            assertTrue(summary.matches("(, L[1-9]d? [0-9]+K)+"), summary);
        } else {
            assertEquals(-1, l1d);
            assertEquals("", summary);
        }
    }
}
