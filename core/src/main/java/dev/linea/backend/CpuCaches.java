package dev.linea.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data cache sizes of the CPU Linea runs on, from Linux's sysfs ({@code /sys/devices/system/cpu/cpu0/cache});
 * unknown (-1) elsewhere or when sysfs cannot be read. For the GEMM's blocking, chosen at start-up.
 */
public final class CpuCaches {
    private CpuCaches() {}

    /** The level-1 data cache in bytes, or -1 if unknown. */
    public static long l1d() {
        return dataCache(1);
    }

    /** The size in bytes of the data (or unified) cache of {@code level}, or -1 if unknown. */
    static long dataCache(int level) {
        Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache");
        for (int i = 0; i < 8; i++) {
            Path index = dir.resolve("index" + i);
            try {
                if (Integer.parseInt(Files.readString(index.resolve("level")).trim()) == level
                        && !Files.readString(index.resolve("type")).trim().equals("Instruction")) {
                    return parseSize(Files.readString(index.resolve("size")).trim());
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return -1;
    }

    /** sysfs's {@code "48K"}, {@code "1024K"}, {@code "32M"} or a plain byte count, in bytes; -1 if not one of those. */
    static long parseSize(String s) {
        try {
            char unit = s.isEmpty() ? ' ' : Character.toUpperCase(s.charAt(s.length() - 1));
            long scale = unit == 'K' ? 1024 : unit == 'M' ? 1024 * 1024 : unit == 'G' ? 1024L * 1024 * 1024 : 1;
            String digits = scale == 1 ? s : s.substring(0, s.length() - 1);
            long v = Long.parseLong(digits.trim());
            return v > 0 ? v * scale : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
