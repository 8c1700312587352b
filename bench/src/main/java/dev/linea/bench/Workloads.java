package dev.linea.bench;

import dev.linea.autograd.GradMode;
import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.data.ImageSet;
import dev.linea.data.ImageSetKind;
import dev.linea.data.Split;
import dev.linea.models.CNN;
import dev.linea.models.FCNN;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.LSTM;
import dev.linea.nn.Module;
import dev.linea.optim.Adam;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The reference workloads, each printed as one JSON line per figure, the same shape as the PyTorch side
 * of the comparison harness ({@code bench/compare/torch_workloads.py}):
 * <ul>
 *   <li>W1: train the tutorial's {@link FCNN} (logits into cross-entropy, Adam 1e-3) on Fashion-MNIST held in
 *       memory; samples/s over one epoch after 200 warm-up steps, {@value #WARMUP_SECONDS} s and a quiet JIT
 *       ({@link #warmUp}).</li>
 *   <li>W2: inference, batch 1000, {@value #W2_PASS_BATCHES} batches a pass cycling through the test images;
 *       samples/s.</li>
 *   <li>W4: train the {@link CNN} (Conv 1→32 3×3, ReLU, MaxPool 2, Conv 32→64 3×3, ReLU, MaxPool 2, Linear
 *       1600→128, ReLU, Linear 128→10) with Adam 1e-3, batch 64: samples/s over 150 steps after 30 warm-up steps,
 *       {@value #WARMUP_SECONDS} s and a quiet JIT.</li>
 *   <li>W5: sgemm GFLOP/s at square sizes and at the FCNN's layer shapes.</li>
 *   <li>W6: single-image inference latency (the web-service case): p50 and p99 in microseconds over
 *       {@value #W6_CALLS} calls of one (1, 784) image, after {@value #W6_WARMUP} untimed calls.</li>
 *   <li>W7: train one {@link LSTM} layer (input 64, hidden 128) on sequences of 35 steps, batch 32: the loss
 *       {@code mean(output²)}, backward and an Adam step; training steps per second over 100 steps after 100
 *       warm-up ones and a quiet JIT, on fixed random inputs.</li>
 * </ul>
 */
public final class Workloads {
    /** Warm-up steps before W1's timed epoch, at the least (the JIT needs ~200 calls to reach full speed). */
    public static final int WARMUP_STEPS = 200;
    /**
     * ...and at the least this long: after 200 steps C2 was still compiling kernels (on the core a second
     * worker thread needs), and W1's timed epoch measured that, not training: batch 32 gave 45k samples/s on
     * 2 threads against 63k on 1 in a fresh JVM, 123k against 108k once warm (AMD EPYC). The same rule on
     * the PyTorch side; the cost of the warm-up itself is what {@code ./linea train}'s first epoch shows.
     */
    public static final double WARMUP_SECONDS = 2.0;
    /**
     * ...and until the JIT has compiled nothing for this long (at most {@value #WARMUP_MAX_SECONDS} s in all):
     * 2 s were not enough either. W1 batch 32, one JVM, six runs of warm-up and epoch in a row (AMD EPYC Zen 3):
     * C2 compiled for 6.0, 1.6 and 0.4 s during the first three and not at all afterwards; 2 threads gave 27k,
     * 47k, 52k, then 53-65k samples/s, 1 thread 36k, 47k, 47k, then 50-54k.
     */
    public static final double JIT_QUIET_SECONDS = 1.0;
    /** The longest warm-up {@link #warmUp} waits for a quiet JIT before timing anyway. */
    public static final double WARMUP_MAX_SECONDS = 60.0;

    /** Untimed passes before W2 is timed: 200 batches, as W1's 200 warm-up steps. */
    public static final int W2_WARMUP_PASSES = 20;
    /**
     * Batches of 1000 in one W2 pass, cycling through the test set: 10, the full test set once. A pass of "the
     * test set" made W2 meaningless on the embedded 1000-image sample: 20 warm-up calls, a JIT far from warm.
     */
    public static final int W2_PASS_BATCHES = 10;

    /** The first row of W2's batch {@code b}: batches of 1000 cycle through the {@code n} test images. */
    public static int w2BatchStart(int b, int n) {
        return (b % (n / 1000)) * 1000;
    }

    private Workloads() {}

    /**
     * Runs {@code step} (given the step's number, from 0) until it has run at least {@code minSteps} times and
     * {@code minSeconds}, and the JIT has compiled nothing for {@value #JIT_QUIET_SECONDS} s; at most
     * {@value #WARMUP_MAX_SECONDS} s. Returns how many steps ran.
     */
    static int warmUp(IntConsumer step, int minSteps, double minSeconds) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watch = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        long compiled = watch ? jit.getTotalCompilationTime() : 0, quietSince = start;
        int done = 0;
        while (true) {
            step.accept(done++);
            long now = System.nanoTime();
            if (watch) {
                long c = jit.getTotalCompilationTime();
                if (c != compiled) {
                    compiled = c;
                    quietSince = now;
                }
            }
            boolean quiet = !watch || now - quietSince >= JIT_QUIET_SECONDS * 1e9;
            if (done >= minSteps && now - start >= minSeconds * 1e9 && quiet || now - start >= WARMUP_MAX_SECONDS * 1e9) {
                return done;
            }
        }
    }

    /** Result of one measurement. */
    public record Figure(String workload, String variant, double value, String unit) {
        public String json() {
            return json("linea");
        }

        /** The JSON line of this figure measured on {@code peer} (the onnxruntime side uses its own name). */
        public String json(String peer) {
            return String.format(Locale.ROOT, "{\"peer\":\"%s\",\"workload\":\"%s\",\"variant\":\"%s\",\"value\":%.1f,\"unit\":\"%s\"}",
                    peer, workload, variant, value, unit);
        }
    }

    /**
     * Fashion-MNIST as (N, 784) floats in [0, 1] and (N) labels, with the same values as plain arrays (the
     * training loops copy batches out of those, and the arrays are made once here so that no workload
     * allocates a copy of the whole set per run); the sample (linea-sample-data) when the full set is absent.
     */
    public record InMemory(Tensor images, Tensor labels, float[] pixels, float[] targets, String source) {
        public static InMemory load(Split split) throws IOException {
            ImageSet set;
            try {
                set = ImageSet.load(ImageSetKind.FASHION_MNIST, split, Optional.empty());
            } catch (IOException e) {
                set = ImageSet.loadSample(split);
            }
            int n = set.count(), size = set.rows() * set.cols();
            float[] x = new float[n * size];
            byte[] px = set.pixels();
            for (int i = 0; i < x.length; i++) {
                x[i] = (px[i] & 0xFF) / 255f;
            }
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                y[i] = set.label(i);
            }
            return new InMemory(Tensor.wrap(x, n, size), Tensor.wrap(y, n).toLong(), x, y, set.describe()); // shared: read only
        }
    }

    /** W4: CNN training samples per second at batch 64, over 150 steps after 30 warm-up steps. */
    public static Figure w4(InMemory train, int threads) {
        double rate = trainingRate(train, CNN::new, new int[] {1, 28, 28}, 64, threads, 30, 150);
        return new Figure("W4", "batch64-threads" + threads, rate, "samples/s");
    }

    /** W7's shapes, the same on the PyTorch side: sequence length, batch, input and hidden sizes. */
    public static final int W7_STEPS = 35, W7_BATCH = 32, W7_INPUT = 64, W7_HIDDEN = 128;

    /** W7's untimed and timed steps (the same on the PyTorch side): the JIT needs ~100 steps to settle. */
    public static final int W7_WARMUP = 100, W7_TIMED = 100;

    /** W7: LSTM training steps per second (forward over the sequence, backward, Adam), after {@link #W7_WARMUP} untimed steps and a quiet JIT. */
    public static Figure w7(int threads) {
        Linea.setNumThreads(threads);
        Linea.manualSeed(0);
        LSTM lstm = new LSTM(W7_INPUT, W7_HIDDEN);
        Adam opt = new Adam(lstm.parameters(), 1e-3);
        Tensor x = Tensor.randn(W7_STEPS, W7_BATCH, W7_INPUT);
        Runnable step = () -> {
            Tensor out = lstm.forward(x);
            Tensor loss = out.mul(out).mean();
            opt.zeroGrad();
            loss.backward();
            opt.step();
        };
        warmUp(s -> step.run(), W7_WARMUP, 0);
        int steps = W7_TIMED;
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            step.run();
        }
        double rate = steps / ((System.nanoTime() - t0) / 1e9);
        return new Figure("W7", "seq" + W7_STEPS + "-batch" + W7_BATCH + "-hidden" + W7_HIDDEN + "-threads" + threads,
                rate, "steps/s");
    }

    /** W1: training samples per second over one epoch, after {@link #WARMUP_STEPS} warm-up steps, {@link #WARMUP_SECONDS} and a quiet JIT. */
    public static Figure w1(InMemory train, int batch, int threads) {
        int steps = train.images().size(0) / batch;
        double rate = trainingRate(train, FCNN::new, new int[] {784}, batch, threads, WARMUP_STEPS, steps);
        return new Figure("W1", "batch" + batch + "-threads" + threads, rate, "samples/s");
    }

    /**
     * Samples per second of {@code steps} training steps (cross-entropy, Adam 1e-3) after at least {@code warmup}
     * untimed ones, {@link #WARMUP_SECONDS} and a quiet JIT ({@link #warmUp}), batches drawn in a fixed shuffled order, each image reshaped to
     * {@code imageShape}.
     */
    private static double trainingRate(InMemory train, java.util.function.Supplier<Module> network, int[] imageShape,
                                       int batch, int threads, int warmup, int steps) {
        Linea.setNumThreads(threads);
        Linea.manualSeed(0);
        Module model = network.get();
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Adam opt = new Adam(model.parameters(), 1e-3);
        int n = train.images().size(0);
        int[] order = permutation(n, 1);
        float[] xs = train.pixels(), ys = train.targets();
        float[] xb = new float[batch * 784];
        long[] yb = new long[batch]; // int64 class indices, as PyTorch's loaders give
        int[] shape = new int[imageShape.length + 1];
        shape[0] = batch;
        System.arraycopy(imageShape, 0, shape, 1, imageShape.length);
        IntConsumer step = s -> {
            for (int i = 0; i < batch; i++) {
                int r = order[(s * batch + i) % n];
                System.arraycopy(xs, r * 784, xb, i * 784, 784);
                yb[i] = (long) ys[r];
            }
            Tensor loss = criterion.forward(model.forward(Tensor.of(xb, shape)), Tensor.ofLongs(yb, batch));
            opt.zeroGrad();
            loss.backward();
            opt.step();
        };
        int done = warmUp(step, warmup, WARMUP_SECONDS);
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            step.accept(done + s);
        }
        return steps * (double) batch / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * W2: inference samples per second, batch 1000: the median of 5 timed passes of {@link #W2_PASS_BATCHES}
     * batches after {@link #W2_WARMUP_PASSES} untimed ones (the same on the PyTorch and onnxruntime sides).
     */
    public static Figure w2(InMemory test, int threads) {
        Linea.setNumThreads(threads);
        Linea.manualSeed(0);
        Module model = new FCNN();
        model.eval();
        int n = test.images().size(0), batch = 1000;
        double[] times = new double[W2_WARMUP_PASSES + 5];
        try (var g = GradMode.noGrad()) {
            for (int rep = 0; rep < times.length; rep++) {
                long t0 = System.nanoTime();
                for (int b = 0; b < W2_PASS_BATCHES; b++) {
                    model.forward(test.images().narrow(0, w2BatchStart(b, n), batch)).argmax(1, false);
                }
                times[rep] = (System.nanoTime() - t0) / 1e9;
            }
        }
        double median = median(Arrays.copyOfRange(times, W2_WARMUP_PASSES, times.length));
        return new Figure("W2", "batch1000-threads" + threads, W2_PASS_BATCHES * batch / median, "samples/s");
    }

    /** Timed and untimed calls of W6 (the same on every peer's side). */
    public static final int W6_CALLS = 10_000;
    public static final int W6_WARMUP = 2_000;

    /**
     * W6: latency of one forward pass (eval mode, no grad, argmax) on a single test image, p50 and p99 over
     * {@link #W6_CALLS} calls cycling through the test set, in microseconds.
     */
    public static List<Figure> w6(InMemory test, int threads) {
        Linea.setNumThreads(threads);
        Linea.manualSeed(0);
        Module model = new FCNN();
        model.eval();
        int n = test.images().size(0);
        float[] pixels = test.pixels();
        double[] micros = new double[W6_CALLS];
        try (var g = GradMode.noGrad()) {
            for (int call = -W6_WARMUP; call < W6_CALLS; call++) {
                int r = Math.floorMod(call, n);
                long t0 = System.nanoTime();
                // The request's own copy of its image, as a service would have after decoding it.
                Tensor x = Tensor.of(Arrays.copyOfRange(pixels, r * 784, r * 784 + 784), 1, 784);
                model.forward(x).argmax(1, false).item();
                if (call >= 0) {
                    micros[call] = (System.nanoTime() - t0) / 1e3;
                }
            }
        }
        return latency(micros, threads);
    }

    /** W6's figures from latency samples: p50 and p99 (nearest rank), as {@code p50-threadsT} / {@code p99-threadsT}. */
    public static List<Figure> latency(double[] micros, int threads) {
        double[] s = micros.clone();
        Arrays.sort(s);
        return List.of(new Figure("W6", "p50-threads" + threads, s[(int) Math.ceil(0.50 * s.length) - 1], "us"),
                new Figure("W6", "p99-threads" + threads, s[(int) Math.ceil(0.99 * s.length) - 1], "us"));
    }

    /** W5: sgemm GFLOP/s at square sizes and the FCNN's layer shapes (M, K, N). */
    public static List<Figure> w5(int threads, int[] squares) {
        List<Figure> out = new ArrayList<>();
        for (int s : squares) {
            out.add(new Figure("W5", "sgemm" + s + "-threads" + threads, GemmGflops.gflops(s, s, s, false, false, threads), "GFLOP/s"));
        }
        // Forward x·Wᵀ, weight gradient gᵀ·x, input gradient g·W of the 784→128 layer.
        int[][] layers = {{32, 784, 128, 0}, {256, 784, 128, 0}, {784, 32, 128, 1}, {32, 128, 784, 2}};
        String[] names = {"fwd32x784x128", "fwd256x784x128", "wgrad784x32x128", "igrad32x128x784"};
        for (int i = 0; i < layers.length; i++) {
            int[] l = layers[i];
            out.add(new Figure("W5", names[i] + "-threads" + threads,
                    GemmGflops.gflops(l[0], l[1], l[2], l[3] == 1, l[3] == 0, threads), "GFLOP/s"));
        }
        return out;
    }

    static int[] permutation(int n, long seed) {
        dev.linea.Generator g = new dev.linea.Generator(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = g.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
