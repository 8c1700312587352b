package dev.linea.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ProcessGroupTest} over shared memory, and what only that transport has. */
class SharedMemoryProcessGroupTest extends ProcessGroupTest {
    @Override
    Transport transport() {
        return Transport.SHARED_MEMORY;
    }

    @Test
    void ranksOnOneMachineShareMemoryByDefault() throws Exception {
        List<Transport> used = Ranks.run(2, Duration.ofSeconds(30), Transport.AUTO, ProcessGroup::transport);
        assertEquals(List.of(Transport.SHARED_MEMORY, Transport.SHARED_MEMORY), used);
        assertEquals(List.of(Transport.TCP, Transport.TCP),
                Ranks.run(2, Duration.ofSeconds(30), Transport.TCP, ProcessGroup::transport));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void buffersLongerThanTheSharedFileGoThroughItInPiecesWithTheRingsBits(int n) throws Exception {
        int len = 2 * SharedMemoryRing.pieceFor(n) + 12_345;
        List<float[]> results = Ranks.run(n, Duration.ofSeconds(60), Transport.SHARED_MEMORY, g -> {
            float[] buf = input(g.rank(), len);
            g.allReduce(buf, ReduceOp.SUM);
            float[] root = g.rank() == 1 ? input(7, len) : new float[len];
            g.broadcast(root, 1);
            assertArrayEquals(input(7, len), root, 0f);
            return buf;
        });
        float[] expected = expectedSum(n, len);
        for (int r = 0; r < n; r++) {
            assertArrayEquals(expected, results.get(r), 0f, "rank " + r);
        }
    }

    @Test
    void setupLeavesNoFileInDevShm() throws Exception {
        List<Path> before = sharedFiles();
        List<List<Path>> during = Ranks.run(3, Duration.ofSeconds(30), Transport.SHARED_MEMORY, g -> {
            g.barrier(); // every rank is past setup
            return sharedFiles();
        });
        for (List<Path> d : during) {
            assertEquals(before, d);
        }
        assertEquals(before, sharedFiles());
    }

    @Test
    void aFileThatIsMissingOrCarriesAnotherTokenIsNotMapped(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("group");
        SharedMemoryRing.create(file, 2, 42L);
        assertNull(SharedMemoryRing.open(file, 1, 2, 43L, 1_000_000L));
        assertNull(SharedMemoryRing.open(file, 1, 3, 42L, 1_000_000L)); // sized for another world size
        assertNull(SharedMemoryRing.open(dir.resolve("absent"), 1, 2, 42L, 1_000_000L));
        try (SharedMemoryRing ring = SharedMemoryRing.open(file, 1, 2, 42L, 1_000_000L)) {
            assertEquals(SharedMemoryRing.fileSize(2), Files.size(file));
            assertEquals(false, ring == null);
        }
    }

    @Test
    void withoutAWritableFolderAutoFallsBackToTcpAndSharedMemoryFailsNamingIt(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such-folder");
        withProperty(SharedMemorySetup.DIR_PROPERTY, missing.toString(), () -> {
            assertEquals(List.of(Transport.TCP, Transport.TCP),
                    Ranks.run(2, Duration.ofSeconds(30), Transport.AUTO, g -> {
                        float[] buf = {g.rank() + 1f};
                        g.allReduce(buf);
                        assertArrayEquals(new float[] {3f}, buf);
                        return g.transport();
                    }));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> Ranks.run(2, Duration.ofSeconds(30), Transport.SHARED_MEMORY, ProcessGroup::transport));
            assertEquals("the shared-memory transport was asked for, but rank 0 found no writable " + missing
                    + "; use Transport.AUTO to fall back to TCP", e.getCause().getMessage());
        });
    }

    @Test
    void thePropertyNamesAnotherFolderForTheFileAndNothingIsLeftThere(@TempDir Path dir) throws Exception {
        withProperty(SharedMemorySetup.DIR_PROPERTY, dir.toString(), () -> {
            List<float[]> results = Ranks.run(3, Duration.ofSeconds(30), Transport.SHARED_MEMORY, g -> {
                float[] buf = input(g.rank(), 1000);
                g.allReduce(buf, ReduceOp.SUM);
                return buf;
            });
            assertArrayEquals(expectedSum(3, 1000), results.get(2), 0f);
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(List.of(), left.toList());
            }
        });
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void withProperty(String key, String value, Body body) throws Exception {
        String old = System.getProperty(key);
        System.setProperty(key, value);
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, old);
            }
        }
    }

    @Test
    void anUnknownTransportPropertyIsRefusedWithItsValue() throws Exception {
        withProperty("linea.distributed.transport", "infiniband", () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Transport::fromProperty);
            assertEquals("linea.distributed.transport must be auto, tcp or shm, got 'infiniband'", e.getMessage());
        });
    }

    private static List<Path> sharedFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("linea-pg-")).sorted().toList();
        }
    }
}
