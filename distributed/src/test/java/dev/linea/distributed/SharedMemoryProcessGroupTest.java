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
    void anUnknownTransportPropertyIsRefusedWithItsValue() {
        String old = System.getProperty("linea.distributed.transport");
        System.setProperty("linea.distributed.transport", "infiniband");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Transport::fromProperty);
            assertEquals("linea.distributed.transport must be auto, tcp or shm, got 'infiniband'", e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty("linea.distributed.transport");
            } else {
                System.setProperty("linea.distributed.transport", old);
            }
        }
    }

    private static List<Path> sharedFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("linea-pg-")).sorted().toList();
        }
    }
}
