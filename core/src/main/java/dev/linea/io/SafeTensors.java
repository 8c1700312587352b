package dev.linea.io;

import dev.linea.internal.io.AtomicFiles;
import dev.linea.internal.io.ByteArrayChannel;
import dev.linea.internal.io.Json;
import dev.linea.compute.Dense;
import dev.linea.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format,
 * byte for byte as the reference (Rust) implementation does, so files move between Linea, PyTorch
 * ({@code safetensors.torch.load_file}) and other frameworks:
 * <pre>
 * 8 bytes   N, unsigned little-endian
 * N bytes   JSON header: {"__metadata__": {"key": "value", ...},
 *                         "name": {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}, ...}
 *           padded with spaces so that 8 + N is a multiple of 8
 * rest      the tensors' bytes, little-endian, row-major, back to back; offsets are relative to here
 * </pre>
 * Tensors are written as F32 (float32), I64 (int64) or BOOL in name order (the reference sorts by dtype,
 * then name), any shape including 0-D. I64 and BOOL read back as int64 and bool tensors, exactly. Reading
 * also accepts F64, F16, BF16 and the other signed/unsigned integers,
 * converting them to float32. Every file is validated on read; errors are {@link SafeTensorsException}s
 * naming the file. Writes are atomic: a crash leaves the previous file intact.
 */
public final class SafeTensors {
    /** Largest header accepted, as in the reference implementation (100 MB). */
    public static final long MAX_HEADER_SIZE = 100_000_000L;
    /**
     * Most dimensions a tensor read from a file may have: PyTorch's own limit for dimension lists
     * (reductions, {@code permute}: "only tensors with up to 64 dims are supported"). The format sets
     * none, so without it a tiny file could declare thousands of dimensions.
     */
    public static final int MAX_RANK = 64;
    private static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK = 1 << 16;

    private SafeTensors() {}

    /**
     * What a file holds.
     *
     * @param tensors the tensors by name, in file (offset) order; each owns its own array
     * @param metadata the {@code __metadata__} strings, empty when the file has none
     */
    public record Loaded(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Loaded {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    // ---------------------------------------------------------------- writing

    /** Saves {@code tensors} without metadata; see {@link #save(Path, Map, Map)}. */
    public static void save(Path path, Map<String, ? extends Tensor> tensors) throws IOException {
        save(path, tensors, Map.of());
    }

    /**
     * Saves {@code tensors} (any shapes, written as F32) and {@code metadata} to {@code path}
     * atomically: the old file, if any, stays whole until the new one is complete and on disk.
     *
     * @throws IllegalArgumentException when a name is {@code __metadata__} or empty
     */
    public static void save(Path path, Map<String, ? extends Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Header header = header(tensors, metadata);
        AtomicFiles.write(path, out -> write(out, header));
    }

    /** The bytes of a safetensors file holding {@code tensors} and {@code metadata}. */
    public static byte[] serialize(Map<String, ? extends Tensor> tensors, Map<String, String> metadata) {
        Header header = header(tensors, metadata);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(Channels.newChannel(bytes), header);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** The JSON header (padded) and the tensors in the order of their data. */
    private record Header(byte[] json, List<Tensor> order) {}

    private static Header header(Map<String, ? extends Tensor> tensors, Map<String, String> metadata) {
        // Name order, like the reference, so the bytes do not depend on the map's iteration order.
        TreeMap<String, Tensor> sorted = new TreeMap<>();
        for (var e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("invalid tensor name '" + name + "'");
            }
            sorted.put(name, e.getValue());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            json.put(METADATA_KEY, new TreeMap<>(metadata));
        }
        long offset = 0;
        for (var e : sorted.entrySet()) {
            int[] shape = e.getValue().shape();
            Dtype dtype = fileDtype(e.getValue());
            long bytes = (long) dtype.size * e.getValue().numel();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", dtype.name());
            info.put("shape", Arrays.stream(shape).boxed().toList());
            info.put("data_offsets", List.of(offset, offset + bytes));
            json.put(e.getKey(), info);
            offset += bytes;
        }
        byte[] text = Json.write(json).getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(text, padded);
        Arrays.fill(out, text.length, padded, (byte) ' ');
        return new Header(out, new ArrayList<>(sorted.values()));
    }

    private static void write(WritableByteChannel out, Header header) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.json.length).flip();
        writeFully(out, buf);
        writeFully(out, ByteBuffer.wrap(header.json));
        for (Tensor t : header.order) {
            if (t.dtype() != dev.linea.DType.FLOAT32) {
                writeIntegers(out, buf, t);
                continue;
            }
            Dense d = Dense.of(t);
            float[] src = d.a();
            int at = d.off();
            int n = t.numel();
            for (int done = 0; done < n; ) {
                int k = Math.min(n - done, CHUNK / 4);
                buf.clear();
                buf.asFloatBuffer().put(src, at + done, k);
                buf.limit(4 * k);
                writeFully(out, buf);
                done += k;
            }
        }
    }

    /** The file dtype of a tensor: F32, I64 (int64, exact) or BOOL (one byte, 0 or 1), as PyTorch's safetensors writes them. */
    private static Dtype fileDtype(Tensor t) {
        return switch (t.dtype()) {
            case FLOAT32 -> Dtype.F32;
            case INT64 -> Dtype.I64;
            case BOOL -> Dtype.BOOL;
        };
    }

    private static void writeIntegers(WritableByteChannel out, ByteBuffer buf, Tensor t) throws IOException {
        long[] v = t.toLongArray();
        boolean bool = t.dtype() == dev.linea.DType.BOOL;
        int per = bool ? CHUNK : CHUNK / 8;
        for (int done = 0; done < v.length; ) {
            int k = Math.min(v.length - done, per);
            buf.clear();
            for (int i = 0; i < k; i++) {
                if (bool) {
                    buf.put((byte) (v[done + i] != 0 ? 1 : 0));
                } else {
                    buf.putLong(v[done + i]);
                }
            }
            buf.flip();
            writeFully(out, buf);
            done += k;
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }

    // ---------------------------------------------------------------- reading

    /** Loads every tensor (as float32) and the metadata of a safetensors file, validating it. */
    public static Loaded load(Path path) throws IOException {
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(in, path.toString());
        }
    }

    /** Parses the bytes of a safetensors file; {@code source} names it in error messages. */
    public static Loaded deserialize(byte[] bytes, String source) throws SafeTensorsException {
        try {
            return read(new ByteArrayChannel(bytes), source);
        } catch (SafeTensorsException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One tensor's entry in the header. */
    private record Entry(String name, Dtype dtype, int[] shape, long begin, long end) {}

    private static Loaded read(SeekableByteChannel in, String file) throws IOException {
        long size = in.size();
        if (size < 8) {
            throw new SafeTensorsException(file, "file is " + size + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(in, 0, lenBuf, file);
        long n = lenBuf.flip().getLong();
        if (n < 0 || n > MAX_HEADER_SIZE) {
            throw new SafeTensorsException(file, "header length " + Long.toUnsignedString(n)
                    + " is larger than the limit of " + MAX_HEADER_SIZE + " bytes (not a safetensors file?)");
        }
        if (n > size - 8) {
            throw new SafeTensorsException(file, "header length " + n + " exceeds the file size (" + size
                    + " bytes): the file is truncated or not a safetensors file");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) n);
        readFully(in, 8, headerBuf, file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBuf.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException(file, "header is not valid UTF-8");
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.ParseException e) {
            throw new SafeTensorsException(file, "header is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> header)) {
            throw new SafeTensorsException(file, "header must be a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (var e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata(e.getValue(), metadata, file);
            } else {
                entries.add(entry(name, e.getValue(), file));
            }
        }
        entries.sort((a, b) -> a.begin != b.begin ? Long.compare(a.begin, b.begin) : Long.compare(a.end, b.end));
        long dataSize = size - 8 - n;
        long expected = 0;
        for (Entry e : entries) {
            if (e.begin != expected) {
                throw new SafeTensorsException(file, "tensor '" + e.name + "' has data_offsets [" + e.begin + ", "
                        + e.end + "] but should begin at " + expected + (e.begin < expected
                        ? " (it overlaps the tensor before it)" : " (gap after the tensor before it)"));
            }
            long bytes = numel(e.shape) * e.dtype.size;
            if (e.end - e.begin != bytes) {
                throw new SafeTensorsException(file, "tensor '" + e.name + "' of shape " + Arrays.toString(e.shape)
                        + " and dtype " + e.dtype + " needs " + bytes + " bytes, but data_offsets [" + e.begin + ", "
                        + e.end + "] span " + (e.end - e.begin));
            }
            if (e.end > dataSize) {
                throw new SafeTensorsException(file, "tensor '" + e.name + "' has data_offsets [" + e.begin + ", "
                        + e.end + "] past the end of the data (" + dataSize + " bytes): the file is truncated");
            }
            expected = e.end;
        }
        if (expected != dataSize) {
            throw new SafeTensorsException(file, "the tensors cover " + expected + " bytes but the data section has "
                    + dataSize + " (trailing bytes)");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long base = 8 + n;
        // One buffer for the whole file, no larger than its largest tensor: a buffer per tensor made a file of
        // many tiny tensors allocate 64 KiB each (20,000 one-byte tensors: 1.3 GB).
        long largest = 0;
        for (Entry e : entries) {
            largest = Math.max(largest, e.end - e.begin);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, largest)).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : entries) {
            tensors.put(e.name, readTensor(in, base, e, buf, file));
        }
        return new Loaded(tensors, metadata);
    }

    private static void metadata(Object value, Map<String, String> out, String file) throws SafeTensorsException {
        if (!(value instanceof Map<?, ?> m)) {
            throw new SafeTensorsException(file, METADATA_KEY + " must be an object of strings");
        }
        for (var e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new SafeTensorsException(file, METADATA_KEY + " value of '" + e.getKey() + "' must be a string");
            }
            out.put((String) e.getKey(), s);
        }
    }

    private static Entry entry(String name, Object value, String file) throws SafeTensorsException {
        String where = "tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> info)) {
            throw new SafeTensorsException(file, where + ": expected an object with dtype, shape, data_offsets");
        }
        if (!(info.get("dtype") instanceof String dtypeName)) {
            throw new SafeTensorsException(file, where + ": missing dtype");
        }
        Dtype dtype = Dtype.parse(dtypeName);
        if (dtype == null) {
            throw new SafeTensorsException(file, where + " has unsupported dtype " + dtypeName + " (Linea reads "
                    + Dtype.supported() + ")");
        }
        if (info.get("shape") instanceof List<?> dimList && dimList.size() > MAX_RANK) {
            throw new SafeTensorsException(file, where + " has " + dimList.size() + " dimensions, more than the "
                    + MAX_RANK + " Linea (like PyTorch) supports");
        }
        List<Long> shape = longs(info.get("shape"), -1, where + ": shape", file);
        List<Long> offsets = longs(info.get("data_offsets"), 2, where + ": data_offsets", file);
        int[] dims = new int[shape.size()];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = shape.get(i);
            if (d > Integer.MAX_VALUE || (numel = numel * d) > Integer.MAX_VALUE) {
                throw new SafeTensorsException(file, where + " has shape " + shape
                        + ": more than 2^31-1 elements, too large for a Linea tensor");
            }
            dims[i] = (int) d;
        }
        if (offsets.get(1) < offsets.get(0)) {
            throw new SafeTensorsException(file, where + " has data_offsets " + offsets + " that end before they begin");
        }
        return new Entry(name, dtype, dims, offsets.get(0), offsets.get(1));
    }

    /** A list of non-negative integers ({@code length} of them unless it is -1). */
    private static List<Long> longs(Object v, int length, String what, String file) throws SafeTensorsException {
        if (!(v instanceof List<?> list) || (length >= 0 && list.size() != length)) {
            throw new SafeTensorsException(file, what + " must be a list of " + (length >= 0 ? length + " " : "")
                    + "non-negative integers, got " + v);
        }
        List<Long> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Long l) || l < 0) {
                throw new SafeTensorsException(file, what + " must be a list of non-negative integers, got " + v);
            }
            out.add(l);
        }
        return out;
    }

    private static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static Tensor readTensor(SeekableByteChannel in, long base, Entry e, ByteBuffer buf, String file)
            throws IOException {
        int numel = (int) numel(e.shape);
        if (e.dtype == Dtype.I64 || e.dtype == Dtype.BOOL) {
            // int64 and bool keep their dtype, exactly
            long[] values = new long[numel];
            readChunks(in, base, e, buf, file, numel, (b, done, k) -> {
                for (int i = 0; i < k; i++) {
                    values[done + i] = e.dtype == Dtype.I64 ? b.getLong() : b.get() != 0 ? 1 : 0;
                }
            });
            Tensor t = Tensor.ofLongs(values, e.shape);
            return e.dtype == Dtype.BOOL ? t.bool() : t;
        }
        float[] values = new float[numel];
        readChunks(in, base, e, buf, file, numel, (b, done, k) -> e.dtype.decode(b, values, done, k));
        return Tensor.wrap(values, e.shape);
    }

    /** Decodes {@code k} elements from {@code buf} into position {@code done} of the caller's array. */
    private interface ChunkDecoder {
        void decode(ByteBuffer buf, int done, int k);
    }

    /** Reads an entry's {@code numel} elements in buffer-sized chunks, handing each to {@code decoder}. */
    private static void readChunks(SeekableByteChannel in, long base, Entry e, ByteBuffer buf, String file, int numel,
                                   ChunkDecoder decoder) throws IOException {
        int perChunk = buf.capacity() / e.dtype.size;
        long pos = base + e.begin;
        for (int done = 0; done < numel; ) {
            int k = Math.min(numel - done, perChunk);
            buf.clear().limit(k * e.dtype.size);
            readFully(in, pos, buf, file);
            buf.flip();
            decoder.decode(buf, done, k);
            pos += (long) k * e.dtype.size;
            done += k;
        }
    }

    private static void readFully(SeekableByteChannel in, long position, ByteBuffer buf, String file) throws IOException {
        in.position(position);
        while (buf.hasRemaining()) {
            if (in.read(buf) < 0) {
                throw new SafeTensorsException(file, "unexpected end of file at byte " + in.position());
            }
        }
    }
}
