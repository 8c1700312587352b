package dev.linea.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @Test
    void leftoversOfAKilledWriteAreDeletedAndNothingElse(@TempDir Path dir) throws Exception {
        AtomicFiles.write(dir.resolve("metrics.csv"), new byte[] {1});
        // What a write killed before its rename leaves: the same name write() gives its temporary file.
        Files.write(dir.resolve(".training-state.safetensors.1a2b3c4d5e-1.tmp"), new byte[] {2});
        Files.write(dir.resolve(".model.safetensors.ffffff0123456789-27.tmp"), new byte[] {3});
        List<String> kept = List.of("metrics.csv", "notes.tmp", ".hidden.tmp", ".x.12-ab.tmp", "a.1-2.tmp");
        for (String k : kept.subList(1, kept.size())) {
            Files.write(dir.resolve(k), new byte[] {4});
        }
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("sub/.model.safetensors.ab-1.tmp"), new byte[] {5});

        assertEquals(List.of(".model.safetensors.ffffff0123456789-27.tmp", ".training-state.safetensors.1a2b3c4d5e-1.tmp"),
                AtomicFiles.deleteLeftovers(dir));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(kept.stream().sorted().toList() + "", files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("sub")).sorted().toList() + "");
        }
        assertTrue(Files.exists(dir.resolve("sub/.model.safetensors.ab-1.tmp")), "only the folder itself is cleaned");
        assertEquals(List.of(), AtomicFiles.deleteLeftovers(dir));
        assertEquals(List.of(), AtomicFiles.deleteLeftovers(dir.resolve("absent")));
    }

    @Test
    void theTemporaryFileOfAWriteHasTheFormDeleteLeftoversRecognises(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("w.bin");
        String[] seen = new String[1];
        AtomicFiles.write(target, out -> {
            try (Stream<Path> files = Files.list(dir)) {
                seen[0] = files.map(p -> p.getFileName().toString()).findFirst().orElseThrow();
            }
            // A write that dies here leaves its temporary file: leftovers cleanup must know it.
            Files.copy(dir.resolve(seen[0]), dir.resolve(seen[0].replace(".tmp", "1.tmp")));
        });
        assertEquals(List.of(seen[0].replace(".tmp", "1.tmp")), AtomicFiles.deleteLeftovers(dir));
        assertTrue(Files.exists(target));
    }
}
