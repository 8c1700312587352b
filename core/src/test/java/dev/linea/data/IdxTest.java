package dev.linea.data;

import static dev.linea.AllocationTesting.allocatedBy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {
    @TempDir
    Path dir;

    private static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roundTrip(boolean gzip) throws IOException {
        Path file = dir.resolve("sub/x-idx3-ubyte"); // no .gz suffix either way: detection is by magic
        byte[] data = ramp(3 * 4 * 5);
        Idx.write(file, new int[] {3, 4, 5}, data, gzip);
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), 2);
        assertEquals(gzip, head[0] == (byte) 0x1f && head[1] == (byte) 0x8b);
        IdxData back = Idx.read(file);
        assertArrayEquals(new int[] {3, 4, 5}, back.dims());
        assertArrayEquals(data, back.data());
        assertEquals(3, back.count());
        assertEquals(20, back.itemSize());
        assertEquals(Byte.toUnsignedInt(data[59]), back.get(59));
        assertEquals(Byte.toUnsignedInt(data[2 * 20 + 19]), back.get(2, 19));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temp files left behind");
        }
    }

    @Test
    void rawLayoutIsStandard() throws IOException {
        Path file = dir.resolve("labels");
        Idx.write(file, new int[] {3}, new byte[] {1, 2, (byte) 200}, false);
        assertArrayEquals(new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 1, 2, (byte) 200}, Files.readAllBytes(file));
        assertEquals(200, Idx.read(file).get(2));
    }

    @Test
    void gzipOutputIsDeterministic() throws IOException {
        Idx.write(dir.resolve("a"), new int[] {10, 10}, ramp(100), true);
        Idx.write(dir.resolve("b"), new int[] {10, 10}, ramp(100), true);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a")), Files.readAllBytes(dir.resolve("b")));
    }

    @Test
    void writeReplacesExistingFile() throws IOException {
        Path file = dir.resolve("f");
        Idx.write(file, new int[] {2}, new byte[] {1, 2}, true);
        Idx.write(file, new int[] {1}, new byte[] {9}, false);
        assertArrayEquals(new byte[] {9}, Idx.read(file).data());
    }

    @Test
    void readsFromStream() throws IOException {
        byte[] raw = {0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 1, 5, 6};
        assertArrayEquals(new byte[] {5, 6}, Idx.read(new ByteArrayInputStream(raw), "mem").data());
        assertArrayEquals(new byte[] {5, 6}, Idx.read(new ByteArrayInputStream(gzip(raw)), "mem.gz").data());
    }

    @Test
    void truncatedRawFileNamesFileAndNumbers() throws IOException {
        Path file = write("trunc", new byte[] {0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(file));
        assertMessage(e, file.toString(), "truncated", "2 x 3", "6 data bytes", "18", "16", "missing 2");
    }

    @Test
    void truncatedGzipFileNamesFileAndNumbers() throws IOException {
        Path file = write("trunc.gz", gzip(new byte[] {0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4}));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(file));
        assertMessage(e, file.toString(), "truncated", "2 x 3", "6 data bytes", "only 4", "gunzip");
    }

    @Test
    void cutGzipStreamIsReported() throws IOException {
        byte[] idx = ramp(4 + 4 + 5000);
        System.arraycopy(new byte[] {0, 0, 8, 1, 0, 0, 0x13, (byte) 0x88}, 0, idx, 0, 8); // dims {5000}
        byte[] gz = gzip(idx);
        Path file = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(file));
        assertMessage(e, file.toString(), "gzip");
    }

    @Test
    void trailingBytesNameFileAndNumbers() throws IOException {
        byte[] raw = {0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3, 4, 5};
        Path file = write("trail", raw);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(file));
        assertMessage(e, file.toString(), "trailing", "2 data bytes", "10", "13", "3 extra");
        Path gz = write("trail.gz", gzip(raw));
        e = assertThrows(IdxFormatException.class, () -> Idx.read(gz));
        assertMessage(e, gz.toString(), "trailing", "2 data bytes", "3 more bytes", "gunzip");
    }

    @Test
    void wrongMagicNamesFileAndBytes() throws IOException {
        Path file = write("magic", new byte[] {'P', 'K', 3, 4, 0, 0, 0, 1, 0});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(file));
        assertMessage(e, file.toString(), "magic", "0x504B0304");
    }

    @Test
    void unsupportedTypeIsNamed() throws IOException {
        Path file = write("float", new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(file));
        assertMessage(e, file.toString(), "0x0D", "float", "0x08");
    }

    @Test
    void zeroDimensionIsRejected() throws IOException {
        Path file = write("zero", new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 28});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(file));
        assertMessage(e, file.toString(), "dimension 2 of 3 is 0");
    }

    @Test
    void zeroDimensionCountIsRejected() throws IOException {
        Path file = write("nodims", new byte[] {0, 0, 8, 0});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(file));
        assertMessage(e, file.toString(), "dimension count is 0");
    }

    @Test
    void truncatedHeaderAndTinyFile() throws IOException {
        Path header = write("header", new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 0, 0});
        assertMessage(assertThrows(IdxFormatException.class, () -> Idx.read(header)),
                header.toString(), "header truncated", "3 dimensions need 12", "only 6");
        Path tiny = write("tiny", new byte[] {0, 0});
        assertMessage(assertThrows(IdxFormatException.class, () -> Idx.read(tiny)), tiny.toString(), "only 2 bytes");
    }

    @Test
    void hugeDimensionsAreRejectedBeforeAllocating() throws IOException {
        Path file = write("huge", new byte[] {0, 0, 8, 2, 0x7F, -1, -1, -1, 0x7F, -1, -1, -1});
        assertMessage(assertThrows(IdxFormatException.class, () -> Idx.read(file)), file.toString(),
                "2147483647 x 2147483647");
        Path unsigned = write("neg", new byte[] {0, 0, 8, 1, -1, -1, -1, -1});
        assertMessage(assertThrows(IdxFormatException.class, () -> Idx.read(unsigned)), unsigned.toString(),
                "dimension 1 of 1 is 4294967295");
    }

    @Test
    void writerRejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> Idx.write(dir.resolve("a"), new int[] {2, 0}, new byte[0], false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Idx.write(dir.resolve("b"), new int[] {2, 3}, new byte[5], false));
        assertMessage(e, "2 x 3", "6", "5");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' not in: " + e.getMessage());
        }
    }

    @Test
    void aGzippedFileIsReadIntoOneArrayOfTheDataSize() throws IOException {
        int size = 8 << 20;
        Path file = dir.resolve("big-idx1-ubyte.gz");
        Idx.write(file, new int[] {size}, ramp(size), true);
        Idx.read(file); // warm up
        IdxData[] read = new IdxData[1];
        long allocated = allocatedBy(() -> read[0] = Idx.read(file));
        assertEquals(size, read[0].data().length);
        // The data once, plus the stream buffers; reading to an unknown length held it twice (16.8 MB).
        assertTrue(allocated < size + size / 8, allocated + " bytes allocated for " + size + " bytes of data");
    }

    @Test
    void aGzipFileDeclaringMoreThanDeflateCanExpandItToIsRefusedBeforeAllocating() throws IOException {
        byte[] header = {0, 0, 8, 1, 0x77, 0x35, (byte) 0x94, 0x00}; // 1 dimension of 2,000,000,000
        Path file = write("bomb.gz", gzip(header));
        long length = Files.size(file);
        IdxFormatException[] e = new IdxFormatException[1];
        long allocated = allocatedBy(() -> e[0] = assertThrows(IdxFormatException.class, () -> Idx.read(file)));
        assertMessage(e[0], file.toString(), "truncated: dims 2000000000 declare 2000000000 data bytes, but "
                + length + " bytes of gzip expand to at most 1032 x " + length + " = " + 1032 * length + " bytes");
        assertTrue(allocated < 1 << 20, allocated + " bytes allocated");
    }
}
