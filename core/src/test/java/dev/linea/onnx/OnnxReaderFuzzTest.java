package dev.linea.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation fuzzer over the ONNX reader, in the style of the CLI's {@code ParserFuzzTest}: valid
 * models (ONNX's backend cases, one with external data) mutated by bit flips, byte inserts/deletes, varints
 * set to extremes, truncation, slice duplication (deep nesting, many fields) and splicing. Input {@code i} is a
 * function of (seed, i) alone, so a failure replays with {@code -Dlinea.fuzz.seed=S -Dlinea.fuzz.replay=I}.
 *
 * <p>A failure is: anything thrown but {@link OnnxFormatException}; a message not on one line or not naming
 * the file; allocation beyond {@code 8 MiB + 64 × input length}; or a model that reads but does not encode
 * back to a fixpoint. Budget: {@code -Dlinea.fuzz.seconds} (default 3) and at most 20,000 inputs.
 */
class OnnxReaderFuzzTest {
    private static final long SEED = Long.getLong("linea.fuzz.seed", 16);
    private static final double SECONDS = Double.parseDouble(System.getProperty("linea.fuzz.seconds", "3"));
    private static final Integer REPLAY = Integer.getInteger("linea.fuzz.replay");
    private static final long[] EXTREMES = {0, 1, -1, 0x7f, 0x80, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 32,
            Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40};

    @TempDir
    Path dir;

    @Test
    void theReaderHoldsAgainstMutatedModels() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String c : List.of("test_conv_with_strides_padding", "test_gemm_all_attributes", "test_flatten_negative_axis1",
                "test_reshape_negative_dim", "test_resize_upsample_scales_nearest", "test_batchnorm_example",
                "test_softmax_axis_0", "test_clip_default_inbounds")) {
            Path f = BackendCases.ROOT.resolve(c).resolve("model.onnx");
            if (Files.exists(f)) {
                seeds.add(Files.readAllBytes(f));
            }
        }
        seeds.add(Files.readAllBytes(BackendCases.ROOT.resolve("test_gemm_all_attributes/test_data_set_0/input_0.pb")));
        assertTrue(seeds.size() >= 6, "seed models missing");
        // external data next to the input file: a model whose initializer is in weights.bin
        Files.write(dir.resolve("weights.bin"), new byte[64]);
        TensorProto ext = new TensorProto("w", DataType.FLOAT.code, new long[] {4, 2}, null, null, null, null, null, null,
                null, List.of(new StringStringEntryProto("location", "weights.bin"),
                        new StringStringEntryProto("offset", "16"), new StringStringEntryProto("length", "32")), 1, "");
        seeds.add(OnnxCodec.encode(ModelProto.of(8, "fuzz", "", new GraphProto("g",
                List.of(new NodeProto("n", "Relu", List.of("w"), List.of("y"), List.of())), List.of(ext), List.of(),
                List.of(new ValueInfoProto("y", null))), 17, List.of())));

        Path file = dir.resolve("input.onnx");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (byte[] s : seeds) { // warm-up: class loading is not the input's allocation
            attempt(s, file);
        }
        Map<String, String> failures = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        int inputs = 0, valid = 0;
        int first = REPLAY != null ? REPLAY : 0, last = REPLAY != null ? REPLAY + 1 : 20_000;
        for (int i = first; i < last && (REPLAY != null || System.nanoTime() - t0 < SECONDS * 1e9); i++) {
            byte[] input = input(seeds, i);
            inputs++;
            long before = threads.getCurrentThreadAllocatedBytes();
            String outcome = attempt(input, file);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (allocated > (8L << 20) + 64L * input.length) {
                outcome = "allocated " + allocated + " bytes for " + input.length;
            }
            if (outcome == null) {
                valid++;
            } else if (!outcome.equals("error")) {
                failures.putIfAbsent(outcome.split(":")[0], "seed " + SEED + ", input " + i + ": " + outcome);
            }
        }
        System.out.printf("onnx fuzz: %d inputs, %d read as valid, %d failure classes%n", inputs, valid, failures.size());
        assertEquals(Map.of(), failures);
        assertTrue(inputs > 0);
    }

    /** Null when the input read (and re-encoded to a fixpoint), "error" for a proper error, else the failure. */
    private static String attempt(byte[] input, Path file) throws Exception {
        Files.write(file, input);
        try {
            ModelProto m = OnnxCodec.readModel(file);
            try {
                Onnx.load(m, file.toString()); // importing what reads: refusals are OnnxFormatExceptions too
            } catch (OnnxFormatException refused) {
                String msg = refused.getMessage();
                if (msg.contains("\n") || !msg.startsWith(file + ": ")) {
                    return "bad import message: " + msg;
                }
            }
            byte[] again;
            try {
                again = OnnxCodec.encode(m);
            } catch (IllegalArgumentException refused) { // sparse or non-tensor types: the writer refuses them
                return null;
            }
            byte[] third = OnnxCodec.encode(OnnxCodec.decodeModel(again, "re-encoded"));
            return Arrays.equals(again, third) ? null : "re-encoding is not a fixpoint";
        } catch (OnnxFormatException e) {
            String msg = e.getMessage();
            if (msg == null || msg.contains("\n") || !msg.startsWith(file + ": ")) {
                return "bad message: " + msg;
            }
            return "error";
        } catch (IllegalArgumentException e) {
            return e.getMessage() != null && !e.getMessage().contains("\n") ? "error" : "bad message: " + e.getMessage();
        } catch (Throwable t) {
            return t.getClass().getName() + ": " + t.getMessage();
        }
    }

    private static byte[] input(List<byte[]> seeds, int index) {
        SplittableRandom r = new SplittableRandom(SEED * 0x9E3779B97F4A7C15L ^ index);
        byte[] b = seeds.get(r.nextInt(seeds.size())).clone();
        int n = 1 + (r.nextInt(4) == 0 ? r.nextInt(8) : 0);
        for (int k = 0; k < n; k++) {
            b = mutate(b, seeds, r);
        }
        return b;
    }

    private static byte[] mutate(byte[] b, List<byte[]> seeds, SplittableRandom r) {
        int len = b.length;
        int at = len == 0 ? 0 : r.nextInt(len);
        switch (r.nextInt(8)) {
            case 0 -> {
                if (len > 0) b[at] ^= (byte) (1 << r.nextInt(8));
            }
            case 1 -> {
                if (len > 0) b[at] = (byte) r.nextInt(256);
            }
            case 2 -> {
                byte[] ins = new byte[1 + r.nextInt(8)];
                r.nextBytes(ins);
                b = splice(b, at, at, ins);
            }
            case 3 -> b = splice(b, at, Math.min(len, at + 1 + r.nextInt(16)), new byte[0]);
            case 4 -> { // a varint (a length, a dim, a type) replaced by an extreme
                ProtoWriter w = new ProtoWriter();
                w.varint(r.nextInt(4) == 0 ? len - at + r.nextInt(-2, 3) : EXTREMES[r.nextInt(EXTREMES.length)]);
                int end = at;
                while (end < len && b[end] < 0) {
                    end++;
                }
                b = splice(b, at, Math.min(len, end + 1), w.toByteArray());
            }
            case 5 -> b = Arrays.copyOf(b, len == 0 ? 0 : r.nextInt(len));
            case 6 -> { // duplication of a slice, sometimes many times
                int end = Math.min(len, at + 1 + r.nextInt(r.nextBoolean() ? 4 : 64));
                int times = r.nextInt(3) == 0 ? 1 + r.nextInt(3000) : 1;
                byte[] slice = Arrays.copyOfRange(b, at, end);
                byte[] rep = new byte[slice.length * times];
                for (int k = 0; k < times; k++) {
                    System.arraycopy(slice, 0, rep, k * slice.length, slice.length);
                }
                b = splice(b, end, end, rep);
            }
            default -> {
                byte[] other = seeds.get(r.nextInt(seeds.size()));
                int from = other.length == 0 ? 0 : r.nextInt(other.length);
                b = splice(b, at, len, Arrays.copyOfRange(other, from, other.length));
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] ins) {
        byte[] out = new byte[b.length - (to - from) + ins.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(ins, 0, out, from, ins.length);
        System.arraycopy(b, to, out, from + ins.length, b.length - to);
        return out;
    }

    @Test
    void theSeedsThemselvesRead() throws Exception {
        byte[] b = Files.readAllBytes(BackendCases.ROOT.resolve("test_gemm_all_attributes/model.onnx"));
        assertArrayEquals(b, OnnxCodec.encode(OnnxCodec.decodeModel(b, "gemm")));
    }
}
