package dev.linea.cli.fuzz;

import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.data.Idx;
import dev.linea.internal.io.Json;
import dev.linea.io.Checkpoint;
import dev.linea.io.Checkpoints;
import dev.linea.io.SafeTensors;
import dev.linea.io.SafeTensorsException;
import dev.linea.io.TrainingProgress;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;
import dev.linea.nn.ReLU;
import dev.linea.nn.Sequential;
import dev.linea.optim.Adam;
import dev.linea.optim.Optimizer;
import dev.linea.optim.SGD;
import dev.linea.optim.lr.CosineAnnealingLR;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes every file format Linea's library reads — safetensors, training checkpoints (loaded, resumed into a
 * model and optimizer, stepped, the schedule restored), IDX raw and gzipped, JSON — from valid seed files
 * (see {@link Fuzzer} for the mutations, the failure classes, the budget and how to replay a failure).
 */
class ParserFuzzTest {
    @TempDir
    static Path work;

    /** Documented errors of the readers: IOExceptions (SafeTensorsException, IdxFormatException...) and IAE. */
    static final Predicate<Throwable> IO_OR_ARGUMENT = t -> t instanceof IOException || t instanceof IllegalArgumentException;

    @TestFactory
    Stream<DynamicTest> everyReaderHoldsAgainstMutatedFiles() throws Exception {
        return Stream.of(safetensors(), trainingState("adam"), trainingState("sgd"), idx(false), idx(true), json())
                .map(t -> DynamicTest.dynamicTest(t.name(), () -> check(t, work.resolve(t.name()))));
    }

    /** Runs the target and fails on any failure class not listed in {@code known}. */
    static void check(Fuzzer.Target t, Path dir) throws IOException {
        Fuzzer.Report r = Fuzzer.run(t, dir);
        String text = Fuzzer.describe(r);
        System.out.print(text);
        assertTrue(r.failures().isEmpty(), text);
        assertTrue(r.inputs() > 0, "no input was tried");
    }

    // ---------------------------------------------------------------- safetensors

    static Fuzzer.Target safetensors() {
        Linea.manualSeed(1);
        List<byte[]> seeds = new ArrayList<>();
        Map<String, Tensor> small = new LinkedHashMap<>();
        small.put("w", Tensor.randn(2, 3));
        small.put("scalar", Tensor.scalar(2.5f));
        small.put("empty", Tensor.zeros(0, 4));
        seeds.add(SafeTensors.serialize(small, Map.of("format", "pt")));
        Map<String, Tensor> many = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            many.put("t" + i, Tensor.scalar(i));
        }
        seeds.add(SafeTensors.serialize(many, Map.of()));
        seeds.add(handWritten("{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"i\":{\"dtype\":\"I64\",\"shape\":[1,1],\"data_offsets\":[4,12]},"
                + "\"z\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[12,14]}}", 14));
        return new Fuzzer.Target("safetensors", seeds, new int[] {0, 4}, (input, file) -> {
            for (Tensor t : SafeTensors.load(file).tensors().values()) {
                t.toString(); // what a user does next: printing is part of reading a file safely
            }
        }, IO_OR_ARGUMENT, true, true);
    }

    /** A safetensors file from a header written by hand (the reference's other dtypes) and data bytes. */
    private static byte[] handWritten(String json, int dataBytes) {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(text);
        while (b.position() < 8 + padded) {
            b.put((byte) ' ');
        }
        for (int i = 0; i < dataBytes; i++) {
            b.put((byte) (i % 2 == 0 ? 1 : 0));
        }
        return b.array();
    }

    // ---------------------------------------------------------------- training state and optimizer state

    private static Module tiny() {
        return new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
    }

    private static Optimizer optimizer(String kind, Module m) {
        return kind.equals("adam") ? new Adam(m.parameters(), 0.01) : new SGD(m.parameters(), 0.01, 0.9);
    }

    /** One training step on fixed data: what a resumed run does first with the restored state. */
    private static void step(Module m, Optimizer opt) {
        opt.zeroGrad();
        m.forward(Tensor.ones(5, 3)).sum().backward();
        opt.step();
    }

    static Fuzzer.Target trainingState(String kind) throws IOException {
        Linea.manualSeed(2);
        Module m = tiny();
        Optimizer opt = optimizer(kind, m);
        CosineAnnealingLR schedule = new CosineAnnealingLR(opt, 10);
        List<byte[]> seeds = new ArrayList<>();
        for (int steps = 0; steps < 3; steps += 2) { // a fresh optimizer (no state) and one with state
            for (int i = 0; i < steps; i++) {
                step(m, opt);
                schedule.step();
            }
            Path f = work.resolve("seed-" + kind + steps + ".safetensors");
            TrainingProgress p = new TrainingProgress(2, 1, 3.5, 10, 1.25, new long[] {1, 2, 3, 4, 5, 6}, 0.75, 1,
                    schedule.stateDict());
            Checkpoints.save(f, Checkpoint.of(m, opt, p));
            seeds.add(Files.readAllBytes(f));
        }
        return new Fuzzer.Target("training-state-" + kind, seeds, new int[] {0}, (input, file) -> {
            Module model = tiny();
            Optimizer o = optimizer(kind, model);
            TrainingProgress p = Checkpoints.resume(file, model, o);
            if (!p.scheduler().isEmpty()) {
                try { // as linea train does: a schedule that does not fit is reported with the file
                    new CosineAnnealingLR(o, 10).loadStateDict(p.scheduler());
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new SafeTensorsException(file.toString(), "the scheduler state does not fit: " + e.getMessage());
                }
            }
            step(model, o);
        }, IO_OR_ARGUMENT, true, true);
    }

    // ---------------------------------------------------------------- IDX

    static Fuzzer.Target idx(boolean gzip) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        byte[] pixels = new byte[3 * 5 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        Path images = work.resolve("seed-images" + gzip + ".idx"), labels = work.resolve("seed-labels" + gzip + ".idx");
        Idx.write(images, new int[] {3, 5, 4}, pixels, gzip);
        Idx.write(labels, new int[] {3}, new byte[] {1, 7, 9}, gzip);
        seeds.add(Files.readAllBytes(images));
        seeds.add(Files.readAllBytes(labels));
        int[] fields = gzip ? new int[] {4, 10} : new int[] {0, 2, 3, 4, 8, 12};
        return new Fuzzer.Target(gzip ? "idx-gzip" : "idx-raw", seeds, fields, (input, file) -> Idx.read(file),
                IO_OR_ARGUMENT, true, false);
    }

    // ---------------------------------------------------------------- JSON

    static Fuzzer.Target json() {
        List<byte[]> seeds = Stream.of(
                "[{\"lr\":0.001,\"betas\":[0.9,0.999],\"eps\":1e-08,\"amsgrad\":false,\"params\":[0,1,2,3]}]",
                "{\"last_epoch\":3,\"_step_count\":4,\"base_lrs\":[0.1],\"_last_lr\":[\"Infinity\"],\"T_max\":10,"
                        + "\"eta_min\":0.0,\"nested\":{\"a\":[null,true,-0.5e-3,\"\\u00e9\\n\"]}}",
                "\"text with \\\"escapes\\\" and \\ud83d\\ude00\"").map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        Function<byte[], String> text = b -> new String(b, StandardCharsets.UTF_8);
        return new Fuzzer.Target("json", seeds, new int[0], (input, file) -> {
            String s = text.apply(input);
            try {
                Json.parse(s);
            } catch (Json.ParseException e) {
                // documented; parseWritten must agree on what is malformed
            }
            Object v = Json.parseWritten(s);
            Json.write(v);
        }, t -> t instanceof Json.ParseException, false, false);
    }
}
