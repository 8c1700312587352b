package dev.linea.cli.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A seeded mutation fuzzer for the files Linea reads. Input {@code i} of a target is a function of
 * (seed, target, i) alone — valid seed files mutated by bit flips, byte inserts and deletes, integer fields
 * set to extremes, truncation, duplication and splicing — so any failure replays from the printed seed and
 * index ({@code -Dlinea.fuzz.seed=S -Dlinea.fuzz.replay=I}), and the failing input is also saved under
 * {@code target/fuzz-failures/}.
 *
 * <p>A failure is: any throwable other than the target's documented errors, a documented error whose
 * message is empty, spans lines or does not name the file, an {@code OutOfMemoryError} or
 * {@code StackOverflowError}, an allocation beyond {@code 8 MiB + 64 × input length} on the parsing thread,
 * or an input taking longer than the per-input timeout.
 *
 * <p>Budget: {@code -Dlinea.fuzz.seconds} per target (default 3) and {@code -Dlinea.fuzz.inputs} at most
 * (default 20,000); seed {@code -Dlinea.fuzz.seed} (default 16).
 */
public final class Fuzzer {
    /** Parses one input, written to {@code file} when the parser reads files. */
    @FunctionalInterface
    public interface Parser {
        void parse(byte[] input, Path file) throws Exception;
    }

    /**
     * What to fuzz.
     *
     * @param name names the target in reports and saved files
     * @param seeds valid inputs to mutate
     * @param fields byte offsets of length or size fields in the seeds (set to extremes more often)
     * @param parser the code under test
     * @param documented the errors the parser promises (their messages are checked too)
     * @param namesFile whether those messages must name the file
     * @param safetensors whether the inputs are safetensors files, also mutated through their header: shapes,
     *                    names, dtypes and metadata changed, entries deleted or copied, the offsets kept
     *                    consistent so that the mutation reaches the code behind the format's own checks
     */
    public record Target(String name, List<byte[]> seeds, int[] fields, Parser parser,
                         Predicate<Throwable> documented, boolean namesFile, boolean safetensors) {}

    /** One class of failure (exception and where it came from), with the first input that showed it. */
    public record Failure(String target, String signature, String detail, long seed, int index, Path saved) {
        @Override
        public String toString() {
            return target + " " + signature + " (seed " + seed + ", input " + index + ", saved " + saved + "): " + detail;
        }
    }

    /** What a run found. */
    public record Report(String target, int inputs, double seconds, List<Failure> failures) {}

    public static final long SEED = Long.getLong("linea.fuzz.seed", 16);
    static final double SECONDS = Double.parseDouble(System.getProperty("linea.fuzz.seconds", "3"));
    static final int INPUTS = Integer.getInteger("linea.fuzz.inputs", 20_000);
    static final Integer REPLAY = Integer.getInteger("linea.fuzz.replay");
    static final long TIMEOUT_MILLIS = 5_000;
    static final long ALLOCATION_BASE = 8L << 20, ALLOCATION_PER_BYTE = 64;

    private static final long[] EXTREMES = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, Integer.MAX_VALUE,
            Integer.MIN_VALUE, 0xffffffffL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, 100_000_001};
    private static final String[] TOKENS = {"-1", "0", "1e999", "-1e999", "9223372036854775808", "4294967296",
            "2147483648", "1e-400", "null", "[]", "{}", "\"\"", "true", "NaN", "[[[[", "\"\\u0000\"", "1.5"};

    private Fuzzer() {}

    /** Runs {@code target} within the budget; {@code work} is a folder for the input files. */
    public static Report run(Target target, Path work) throws IOException {
        Files.createDirectories(work);
        Path file = work.resolve(target.name + ".input");
        List<Failure> failures = new ArrayList<>();
        Map<String, Failure> seen = new LinkedHashMap<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(daemon());
        long t0 = System.nanoTime();
        int count = 0;
        try {
            for (byte[] s : target.seeds) { // warm-up: class loading and JIT are not the input's allocation
                attempt(target, s, file, worker);
            }
            int first = REPLAY != null ? REPLAY : 0, last = REPLAY != null ? REPLAY + 1 : INPUTS;
            for (int i = first; i < last && (REPLAY != null || System.nanoTime() - t0 < SECONDS * 1e9); i++) {
                byte[] input = input(target, SEED, i);
                count++;
                String[] outcome = attempt(target, input, file, worker);
                if (outcome == null) {
                    continue;
                }
                if (outcome[0].equals("hang")) {
                    worker.shutdownNow(); // the hung thread is a daemon: left behind, a fresh one takes over
                    worker = Executors.newSingleThreadExecutor(daemon());
                }
                if (!seen.containsKey(outcome[0])) {
                    Path saved = save(target.name, SEED, i, input);
                    Failure f = new Failure(target.name, outcome[0], outcome[1], SEED, i, saved);
                    seen.put(outcome[0], f);
                    failures.add(f);
                }
            }
        } finally {
            worker.shutdownNow();
        }
        return new Report(target.name, count, (System.nanoTime() - t0) / 1e9, failures);
    }

    /** What parsing {@code input} gives: null when it behaved, else the failure's signature and detail. */
    public static String[] check(Target target, byte[] input, Path work) throws IOException {
        Files.createDirectories(work);
        ExecutorService worker = Executors.newSingleThreadExecutor(daemon());
        try {
            return attempt(target, input, work.resolve(target.name + ".input"), worker);
        } finally {
            worker.shutdownNow();
        }
    }

    /** Input {@code index} of {@code target} under {@code seed}: reproducible from those three alone. */
    public static byte[] input(Target target, long seed, int index) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ target.name.hashCode() * 31L ^ index);
        byte[] b = target.seeds.get(r.nextInt(target.seeds.size())).clone();
        int n = 1 + (r.nextInt(4) == 0 ? r.nextInt(8) : 0);
        for (int k = 0; k < n; k++) {
            b = mutate(b, target, r);
        }
        return b;
    }

    private static byte[] mutate(byte[] b, Target target, SplittableRandom r) {
        if (target.safetensors && r.nextInt(3) == 0) {
            return SafeTensorsMutations.mutate(b, r, TOKENS);
        }
        int len = b.length;
        int at = len == 0 ? 0 : r.nextInt(len);
        switch (r.nextInt(10)) {
            case 0 -> { // bit flip
                if (len > 0) b[at] ^= (byte) (1 << r.nextInt(8));
            }
            case 1 -> { // one byte set
                if (len > 0) b[at] = (byte) (r.nextBoolean() ? EXTREMES[r.nextInt(6)] : r.nextInt(256));
            }
            case 2 -> { // insert bytes
                byte[] ins = new byte[1 + r.nextInt(8)];
                r.nextBytes(ins);
                b = splice(b, at, at, ins);
            }
            case 3 -> { // delete a range
                b = splice(b, at, Math.min(len, at + 1 + r.nextInt(16)), new byte[0]);
            }
            case 4, 5 -> { // an integer field set to an extreme, at a known field or anywhere
                int width = new int[] {1, 2, 4, 8}[r.nextInt(4)];
                int pos = target.fields.length > 0 && r.nextBoolean() ? target.fields[r.nextInt(target.fields.length)] : at;
                long v = r.nextInt(4) == 0 ? len + r.nextInt(-2, 3) : EXTREMES[r.nextInt(EXTREMES.length)];
                boolean little = r.nextBoolean();
                for (int k = 0; k < width && pos + k < len; k++) {
                    b[pos + k] = (byte) (v >>> (8 * (little ? k : width - 1 - k)));
                }
            }
            case 6 -> { // truncation
                b = java.util.Arrays.copyOf(b, len == 0 ? 0 : r.nextInt(len));
            }
            case 7 -> { // duplication of a slice, sometimes many times (deep nesting, high ranks, many entries)
                int end = Math.min(len, at + 1 + r.nextInt(r.nextBoolean() ? 4 : 64));
                int times = r.nextInt(3) == 0 ? 1 + r.nextInt(6000) : 1;
                byte[] slice = java.util.Arrays.copyOfRange(b, at, end);
                byte[] rep = new byte[slice.length * times];
                for (int k = 0; k < times; k++) {
                    System.arraycopy(slice, 0, rep, k * slice.length, slice.length);
                }
                b = splice(b, end, end, rep);
            }
            case 8 -> { // splicing with another seed
                byte[] other = target.seeds.get(r.nextInt(target.seeds.size()));
                int from = other.length == 0 ? 0 : r.nextInt(other.length);
                b = splice(b, at, len, java.util.Arrays.copyOfRange(other, from, other.length));
            }
            default -> { // a number or token of a text part (JSON headers, metadata) replaced by an extreme
                String text = new String(b, StandardCharsets.ISO_8859_1);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?[0-9][0-9.eE+-]*|null|true|false|\"[^\"]{0,40}\"")
                        .matcher(text);
                List<int[]> spans = new ArrayList<>();
                while (m.find() && spans.size() < 4096) {
                    spans.add(new int[] {m.start(), m.end()});
                }
                if (!spans.isEmpty()) {
                    int[] s = spans.get(r.nextInt(spans.size()));
                    b = splice(b, s[0], s[1], TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.ISO_8859_1));
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] middle) {
        byte[] out = new byte[from + middle.length + b.length - to];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(middle, 0, out, from, middle.length);
        System.arraycopy(b, to, out, from + middle.length, b.length - to);
        return out;
    }

    /** Parses one input on the worker; {null} when it behaved, else {signature, detail}. */
    private static String[] attempt(Target target, byte[] input, Path file, ExecutorService worker) {
        Future<String[]> f = worker.submit(() -> {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            Files.write(file, input);
            long before = mx.getCurrentThreadAllocatedBytes();
            String[] outcome = judge(target, input, file);
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            long bound = ALLOCATION_BASE + ALLOCATION_PER_BYTE * input.length;
            if (allocated > bound) { // before the outcome: a bomb that ends in a documented error is still a bomb
                return new String[] {"allocation", String.format(java.util.Locale.ROOT,
                        "allocated %,d bytes for a %,d-byte input (bound %,d), then %s", allocated, input.length, bound,
                        outcome == null ? "parsed" : outcome[0] + ": " + outcome[1])};
            }
            return outcome;
        });
        try {
            return f.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return new String[] {"hang", "no answer within " + TIMEOUT_MILLIS + " ms for a " + input.length + "-byte input"};
        } catch (ExecutionException e) {
            return new String[] {"harness " + e.getCause(), String.valueOf(e.getCause())};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String[] judge(Target target, byte[] input, Path file) {
        try {
            target.parser.parse(input, file);
            return null;
        } catch (Throwable t) {
            String message = t.getMessage();
            if (target.documented.test(t) && !(t instanceof VirtualMachineError)) {
                if (message == null || message.isBlank()) {
                    return new String[] {t.getClass().getName() + " without a message", where(t)};
                }
                if (message.contains("\n")) {
                    return new String[] {t.getClass().getName() + " message of several lines", message};
                }
                if (target.namesFile && !message.contains(file.toString())) {
                    return new String[] {t.getClass().getName() + " message not naming the file", message};
                }
                return null;
            }
            return new String[] {t.getClass().getName() + " at " + where(t), String.valueOf(message)};
        }
    }

    /** The first frame in Linea's code (where a failure is). */
    private static String where(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("dev.linea.") && !e.getClassName().startsWith("dev.linea.cli.fuzz.")) {
                return e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1) + "." + e.getMethodName();
            }
        }
        StackTraceElement[] s = t.getStackTrace();
        return s.length == 0 ? "?" : s[0].getClassName() + "." + s[0].getMethodName();
    }

    private static Path save(String target, long seed, int index, byte[] input) throws IOException {
        Path dir = Path.of(System.getProperty("linea.fuzz.failures", "target/fuzz-failures"));
        Files.createDirectories(dir);
        Path p = dir.resolve(target + "-seed" + seed + "-input" + index + ".bin");
        Files.write(p, input);
        return p.toAbsolutePath();
    }

    /** A report as lines: one summary, then each failure with the input (base64 when short) to replay it. */
    public static String describe(Report r) {
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
                "fuzz %s: %,d inputs in %.1f s (seed %d), %d failure class%s%n", r.target(), r.inputs(), r.seconds(),
                SEED, r.failures().size(), r.failures().size() == 1 ? "" : "es"));
        for (Failure f : r.failures()) {
            sb.append("  ").append(f).append('\n');
            try {
                byte[] b = Files.readAllBytes(f.saved());
                if (b.length <= 2048) {
                    sb.append("    input (base64): ").append(Base64.getEncoder().encodeToString(b)).append('\n');
                }
            } catch (IOException ignored) {
                // the path is printed above
            }
            sb.append("    replay: -Dlinea.fuzz.seed=").append(f.seed()).append(" -Dlinea.fuzz.replay=").append(f.index())
                    .append('\n');
        }
        return sb.toString();
    }

    /** A resource's bytes (the seeds ship as test resources or are built in the test). */
    public static byte[] resource(String name) throws IOException {
        try (InputStream in = Fuzzer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "linea-fuzz"); // the JVM's default stack (-Xss), as a user's thread has
            t.setDaemon(true);
            return t;
        };
    }
}
