package dev.linea.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The data cache sizes of the CPU Linea runs on, from Linux's sysfs ({@code /sys/devices/system/cpu/cpu0/cache});
 * unknown elsewhere or when sysfs cannot be read. For the GEMM's blocking, chosen at start-up, and for the
 * machine line benchmarks print.
 */
public final class CpuCaches {
    private CpuCaches() {}

    /** One data (or unified) cache: its level and its size in bytes. */
    private record Cache(int level, boolean dataOnly, long bytes) {}

    /** The level-1 data cache in bytes, or -1 if unknown. */
    public static long l1d() {
        return bytesAt(1);
    }

    /** The level-2 cache in bytes, or -1 if unknown. */
    public static long l2() {
        return bytesAt(2);
    }

    private static long bytesAt(int level) {
        return caches().stream().filter(c -> c.level() == level).mapToLong(Cache::bytes).findFirst().orElse(-1);
    }

    /**
     * The data caches as a benchmark header lists them, e.g. {@code ", L1d 48K, L2 1024K, L3 32768K"}; empty
     * where sysfs has none.
     */
    public static String summary() {
        StringBuilder out = new StringBuilder();
        for (Cache c : caches()) {
            out.append(", L").append(c.level()).append(c.dataOnly() ? "d" : "").append(' ').append(c.bytes() / 1024)
                    .append('K');
        }
        return out.toString();
    }

    /** cpu0's data and unified caches in sysfs's index order, up to the first that cannot be read. */
    private static List<Cache> caches() {
        List<Cache> out = new ArrayList<>();
        Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache");
        for (int i = 0; i < 8; i++) {
            Path index = dir.resolve("index" + i);
            try {
                String type = Files.readString(index.resolve("type")).trim();
                if (type.equals("Instruction")) {
                    continue;
                }
                long bytes = parseSize(Files.readString(index.resolve("size")).trim());
                if (bytes > 0) {
                    out.add(new Cache(Integer.parseInt(Files.readString(index.resolve("level")).trim()),
                            type.equals("Data"), bytes));
                }
            } catch (IOException | RuntimeException e) {
                break;
            }
        }
        return out;
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
