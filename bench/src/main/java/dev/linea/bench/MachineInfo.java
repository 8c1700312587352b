package dev.linea.bench;

import dev.linea.backend.Backends;
import dev.linea.backend.CpuCaches;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a benchmark prints about the machine beside its figures: the CPU's model name, its SIMD flags and
 * cache sizes (from {@code /proc/cpuinfo} and Linux's sysfs; "unknown" elsewhere), and the choices the
 * kernels made for it ({@link dev.linea.backend.Backend#details()}). Ratios mean little without these.
 */
public final class MachineInfo {
    private MachineInfo() {}

    /** e.g. {@code "AMD EPYC 9R14 (avx2 avx512f fma), L1d 32K, L2 1024K, L3 32768K"}. */
    public static String cpu() {
        String model = "unknown CPU";
        List<String> flags = new ArrayList<>();
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("model name") && model.equals("unknown CPU")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                } else if (line.startsWith("flags") && flags.isEmpty()) {
                    for (String f : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
                        if (f.equals("avx2") || f.equals("fma") || f.equals("avx512f")) {
                            flags.add(f);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: the model name stays unknown.
        }
        return model + " (" + String.join(" ", flags) + ")" + CpuCaches.summary();
    }

    /** The kernels' choices, e.g. {@code "vector(512-bit), gemm micro-kernel 8x32 (512-bit), KC 384 (L1d 48K), ..."}. */
    public static String kernels() {
        return Backends.get().details();
    }
}
