package dev.linea.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.linea.AllocationTesting.allocatedBy;

import dev.linea.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path tmp;

    /** Bytes from the reference (Rust) implementation's own serialization tests. */
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static final byte[] RUST_ATTN_0 = bytes(
            64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
            116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
            58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
            101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
            0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64);
    private static final byte[] RUST_EMPTY = bytes(8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32);
    private static final byte[] RUST_EMPTY_METADATA = bytes(
            40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
            95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
            116, 34, 125, 125, 32, 32, 32, 32, 32);

    private static final Tensor SIX = Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3);

    @Test
    void writesTheSameBytesAsTheReferenceImplementation() throws Exception {
        assertArrayEquals(RUST_ATTN_0, SafeTensors.serialize(Map.of("attn.0", SIX), Map.of()));
        assertArrayEquals(RUST_EMPTY, SafeTensors.serialize(Map.of(), Map.of()));
        assertArrayEquals(RUST_EMPTY_METADATA, SafeTensors.serialize(Map.of(), Map.of("framework", "pt")));
        byte[] padded = SafeTensors.serialize(Map.of("attn0", SIX.view(1, 1, 2, 3)), Map.of());
        assertArrayEquals(reference(), padded, "header padded with spaces to a multiple of 8");
    }

    private static byte[] reference() throws IOException {
        try (InputStream in = SafeTensorsTest.class.getResourceAsStream("/io/reference.safetensors")) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsTheReferenceGoldenFile() throws Exception {
        Path file = tmp.resolve("reference.safetensors");
        Files.write(file, reference());
        SafeTensors.Loaded l = SafeTensors.load(file);
        assertEquals(List.of("attn0"), List.copyOf(l.tensors().keySet()));
        assertArrayEquals(new int[] {1, 1, 2, 3}, l.tensors().get("attn0").shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, l.tensors().get("attn0").toFloatArray());
        assertEquals(Map.of(), l.metadata());
        assertEquals(Map.of("framework", "pt"), SafeTensors.deserialize(RUST_EMPTY_METADATA, "m").metadata());
    }

    @Test
    void roundTripKeepsValuesShapesAndMetadata() throws Exception {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("fc1.weight", Tensor.randn(new dev.linea.Generator(1), 4, 3));
        in.put("fc1.bias", Tensor.of(Float.NaN, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE));
        in.put("step", Tensor.scalar(3));
        in.put("empty", Tensor.zeros(0, 5));
        in.put("transposed", Tensor.arange(0f, 6, 1f).view(2, 3).t()); // not contiguous
        Map<String, String> meta = Map.of("format", "pt", "note", "ünïcode \"quoted\"\n");
        Path file = tmp.resolve("sub/dir/model.safetensors");
        SafeTensors.save(file, in, meta);
        SafeTensors.Loaded out = SafeTensors.load(file);
        assertEquals(meta, out.metadata());
        assertEquals(in.keySet(), out.tensors().keySet());
        for (var e : in.entrySet()) {
            Tensor t = out.tensors().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), t.shape(), e.getKey());
            float[] a = e.getValue().toFloatArray(), b = t.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), e.getKey());
            }
        }
        assertEquals(0, (Files.size(file) - 8 - 0) % 4);
        long n = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "data starts 8-byte aligned");
    }

    @Test
    void readsOtherDtypesAsFloat32() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(8 + 2 + 2 + 8 + 1 + 4).order(ByteOrder.LITTLE_ENDIAN);
        data.putDouble(1.5);                            // F64
        data.putShort(Float.floatToFloat16(-2.25f));    // F16
        data.putShort((short) (Float.floatToRawIntBits(3.5f) >>> 16)); // BF16
        data.putLong(-7);                               // I64
        data.put((byte) 200);                           // U8
        data.putInt(-9);                                // I32
        String header = "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[8,10]},"
                + "\"c\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[10,12]},"
                + "\"d\":{\"dtype\":\"I64\",\"shape\":[1,1],\"data_offsets\":[12,20]},"
                + "\"e\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[20,21]},"
                + "\"f\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[21,25]}}";
        Map<String, Tensor> t = SafeTensors.deserialize(file(header, data.array()), "x").tensors();
        assertEquals(1.5f, t.get("a").item());
        assertEquals(-2.25f, t.get("b").item());
        assertEquals(0, t.get("b").dim());
        assertEquals(3.5f, t.get("c").item());
        assertEquals(-7f, t.get("d").item());
        assertEquals(200f, t.get("e").item());
        assertEquals(-9f, t.get("f").item());
    }

    /** A file with this header (unpadded) and data. */
    private static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(h.length).put(h).put(data).array();
    }

    private String loadError(byte[] bytes) throws IOException {
        Path f = tmp.resolve("bad.safetensors");
        Files.write(f, bytes);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), "names the file: " + e.getMessage());
        assertEquals(f.toString(), e.file());
        return e.getMessage();
    }

    private static void assertContains(String message, String part) {
        assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
    }

    @Test
    void corruptFilesGiveClearErrors() throws Exception {
        assertContains(loadError(bytes(1, 2, 3)), "too short for the 8-byte header length");
        byte[] tooLong = RUST_ATTN_0.clone();
        tooLong[0] = (byte) 200; // header length 200 > 96-byte file
        assertContains(loadError(tooLong), "header length 200 exceeds the file size (96 bytes)");
        byte[] huge = RUST_ATTN_0.clone();
        huge[7] = 0x7f;
        assertContains(loadError(huge), "larger than the limit");
        // Truncated data: the last tensor ends past the end of the file.
        assertContains(loadError(java.util.Arrays.copyOf(RUST_ATTN_0, RUST_ATTN_0.length - 4)),
                "tensor 'attn.0' has data_offsets [0, 24] past the end of the data (20 bytes): the file is truncated");
        assertContains(loadError(file("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], ", new byte[4])),
                "header is not valid JSON");
        assertContains(loadError(file("[1, 2]", new byte[0])), "header must be a JSON object");
        assertContains(loadError(file("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1])),
                "tensor 'a' has unsupported dtype F8_E4M3");
        assertContains(loadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8])),
                "tensor 'a' of shape [3] and dtype F32 needs 12 bytes, but data_offsets [0, 8] span 8");
        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertContains(loadError(file(overlap, new byte[12])), "tensor 'b' has data_offsets [4, 12] but should begin at 8 (it overlaps");
        String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertContains(loadError(file(gap, new byte[8])), "should begin at 0 (gap");
        assertContains(loadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[8])),
                "the tensors cover 4 bytes but the data section has 8");
        assertContains(loadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", new byte[8])),
                "end before they begin");
        assertContains(loadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4])),
                "shape must be a list of non-negative integers");
        assertContains(loadError(file("{\"__metadata__\":{\"k\":1}}", new byte[0])), "value of 'k' must be a string");
        assertContains(loadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4])), "duplicate key \"a\"");
        byte[] badUtf8 = file("{\"\"}", new byte[0]);
        badUtf8[9] = (byte) 0xff;
        assertContains(loadError(badUtf8), "not valid UTF-8");
    }

    /** A tensor whose values cannot be read: the write fails after part of the file was written. */
    private static final class Unreadable extends Tensor {
        Unreadable() {
            super(Tensor.zeros(1000));
        }

        @Override
        public boolean isContiguous() {
            return false;
        }

        @Override
        public float[] toFloatArray() {
            throw new IllegalStateException("disk full (simulated)");
        }
    }

    @Test
    void failedWriteLeavesThePreviousFileIntact() throws Exception {
        Path file = tmp.resolve("model.safetensors");
        SafeTensors.save(file, Map.of("w", SIX));
        byte[] before = Files.readAllBytes(file);
        Map<String, Tensor> broken = new LinkedHashMap<>();
        broken.put("a", Tensor.ones(5000)); // written first (name order), then the failure
        broken.put("b", new Unreadable());
        var e = assertThrows(IllegalStateException.class, () -> SafeTensors.save(file, broken));
        assertEquals("disk full (simulated)", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
        SafeTensors.save(file, Map.of("w", Tensor.ones(2)));
        assertArrayEquals(new float[] {1, 1}, SafeTensors.load(file).tensors().get("w").toFloatArray());
    }

    @Test
    void rejectsReservedOrEmptyNames() {
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.serialize(Map.of("__metadata__", SIX), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.serialize(Map.of("", SIX), Map.of()));
    }

    /** A file of {@code count} one-byte (U8) tensors of shape [1]. */
    private static byte[] tinyTensors(int count) {
        StringBuilder h = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            h.append(i > 0 ? "," : "").append(String.format("\"t%05d\":{\"dtype\":\"U8\",\"shape\":[1],"
                    + "\"data_offsets\":[%d,%d]}", i, i, i + 1));
        }
        byte[] data = new byte[count];
        java.util.Arrays.fill(data, (byte) 7);
        return file(h.append('}').toString(), data);
    }

    @Test
    void manySmallTensorsLoadInMemoryProportionalToTheFile() throws Exception {
        Path f = tmp.resolve("tiny.safetensors");
        Files.write(f, tinyTensors(20_000));
        long fileBytes = Files.size(f);
        SafeTensors.load(f); // warm up: class loading and JIT allocate too
        SafeTensors.Loaded[] loaded = new SafeTensors.Loaded[1];
        long allocated = allocatedBy(() -> loaded[0] = SafeTensors.load(f));
        assertEquals(20_000, loaded[0].tensors().size());
        assertEquals(7f, loaded[0].tensors().get("t19999").item());
        // The header's text, its parse and 20,000 small tensors: 42 MB, about 33 bytes per byte of file. One 64 KiB read
        // buffer per tensor was 1.3 GB here.
        assertTrue(allocated < 48 * fileBytes, allocated + " bytes allocated to load a " + fileBytes + "-byte file");
    }

    @Test
    void aTensorOfMoreThan64DimensionsIsRefusedAtLoad() throws Exception {
        Path repro = tmp.resolve("rank5000-tensor-print-soe.safetensors");
        try (InputStream in = SafeTensorsTest.class.getResourceAsStream("/io/repro/rank5000-tensor-print-soe.safetensors")) {
            Files.copy(in, repro);
        }
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(repro));
        assertEquals(repro + ": tensor 't0_942' has 5000 dimensions, more than the 64 Linea (like PyTorch) supports",
                e.getMessage());
        String shape64 = "[" + "1,".repeat(63) + "1]";
        Tensor t = SafeTensors.deserialize(file("{\"a\":{\"dtype\":\"F32\",\"shape\":" + shape64
                + ",\"data_offsets\":[0,4]}}", new byte[4]), "mem").tensors().get("a");
        assertEquals(64, t.dim());
        assertContains(loadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[" + "1,".repeat(64)
                + "1],\"data_offsets\":[0,4]}}", new byte[4])), "tensor 'a' has 65 dimensions, more than the 64");
    }

    @Test
    void aHeaderOverTheReferenceLimitOf100MBIsRefusedBeforeReadingIt() throws Exception {
        byte[] over = file("{}", new byte[0]);
        ByteBuffer.wrap(over).order(ByteOrder.LITTLE_ENDIAN).putLong(0, SafeTensors.MAX_HEADER_SIZE + 1);
        String[] message = new String[1];
        long allocated = allocatedBy(() -> message[0] = loadError(over));
        assertContains(message[0], "header length 100000001 is larger than the limit of 100000000 bytes");
        assertTrue(allocated < 1 << 20, allocated + " bytes allocated");
        // At the limit, the header is read only as far as the file goes.
        byte[] atLimit = over.clone();
        ByteBuffer.wrap(atLimit).order(ByteOrder.LITTLE_ENDIAN).putLong(0, SafeTensors.MAX_HEADER_SIZE);
        assertContains(loadError(atLimit), "header length 100000000 exceeds the file size (10 bytes)");
    }
}
