package dev.linea.examples;

import dev.linea.Generator;
import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.LSTM;
import dev.linea.nn.LayerNorm;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;
import dev.linea.nn.utils.ClipGrad;
import dev.linea.optim.AdamW;
import dev.linea.plot.LineChart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A character-level language model on real text that ships with Debian: by default the GNU GPL version 3
 * in {@code /usr/share/common-licenses/GPL-3} (package {@code base-files}, on every Debian system; 35 KB).
 * The last 10% of the text is held out. The model, in PyTorch terms:
 * <pre>
 * lstm = nn.LSTM(vocab, 128, num_layers=2, batch_first=True, dropout=0.1)
 * norm = nn.LayerNorm(128)
 * head = nn.Linear(128, vocab)
 * logits = head(norm(lstm(one_hot(x))[0]))            # (B, T, V)
 * loss = F.cross_entropy(logits.permute(0, 2, 1), y)  # (B, V, T) against (B, T)
 * </pre>
 * trained with AdamW (amsgrad) and gradient clipping on windows of 64 characters. It prints the training
 * and held-out loss (nats per character, and bits) as it goes, writes {@code char-lstm.png}, and ends with
 * a sample of text drawn from the model.
 *
 * <p>{@code ./linea example char-lstm [--text FILE] [--steps N] [--seed N] [--out DIR]}
 */
public final class CharLstm {
    private static final int HIDDEN = 128, SEQ = 64, BATCH = 16;

    private CharLstm() {}

    /** The network: LSTM, LayerNorm, Linear over one-hot characters. */
    static final class Model extends Module {
        final LSTM lstm;
        final LayerNorm norm = new LayerNorm(HIDDEN);
        final Linear head;

        Model(int vocab) {
            lstm = new LSTM(vocab, HIDDEN, 2, true, true, 0.1f, false);
            head = new Linear(HIDDEN, vocab);
        }

        /** One-hot input (B, T, V) to logits (B, T, V). */
        @Override
        public Tensor forward(Tensor x) {
            return head.forward(norm.forward(lstm.forward(x)));
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void run(String[] args) throws IOException {
        Path text = Path.of("/usr/share/common-licenses/GPL-3");
        int steps = 200;
        long seed = 0;
        Path out = Path.of(".");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--text" -> text = Path.of(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (options: --text FILE, --steps N, --seed N, --out DIR)");
            }
        }
        if (!Files.isRegularFile(text)) {
            throw new IllegalArgumentException(text + " is not there: on Debian it comes with base-files; "
                    + "give any text file with --text FILE");
        }
        String s = Files.readString(text, StandardCharsets.UTF_8);
        TreeSet<Character> chars = new TreeSet<>();
        for (char c : s.toCharArray()) {
            chars.add(c);
        }
        List<Character> vocab = new ArrayList<>(chars);
        int v = vocab.size();
        int[] ids = new int[s.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocab.indexOf(s.charAt(i));
        }
        int split = ids.length * 9 / 10;
        System.out.printf(Locale.ROOT, "%s: %d characters, %d distinct; %d for training, %d held out%n", text,
                ids.length, v, split, ids.length - split);

        Linea.manualSeed(seed);
        Model model = new Model(v);
        AdamW opt = new AdamW(model.parameters(), 3e-3, 0.9, 0.999, 1e-8, 0.01, true);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Generator gen = new Generator(seed + 1);
        double[] trainCurve = new double[steps];
        List<Double> heldX = new ArrayList<>(), heldY = new ArrayList<>();
        long t0 = System.nanoTime();
        System.out.println(" step   train loss   held-out loss (bits/char)");
        double smooth = Double.NaN;
        for (int step = 0; step < steps; step++) {
            model.train();
            Tensor[] batch = batch(ids, 0, split, v, gen);
            Tensor logits = model.forward(batch[0]);
            Tensor loss = criterion.forward(logits.permute(0, 2, 1), batch[1]);
            opt.zeroGrad();
            loss.backward();
            ClipGrad.clipGradNorm(model.parameters(), 1.0);
            opt.step();
            trainCurve[step] = loss.item();
            smooth = Double.isNaN(smooth) ? loss.item() : 0.9 * smooth + 0.1 * loss.item();
            if (step % 25 == 24 || step == steps - 1) {
                double held = heldOut(model, criterion, ids, split, v);
                heldX.add(step + 1.0);
                heldY.add(held);
                System.out.printf(Locale.ROOT, "%5d   %10.3f   %13.3f (%.2f)%n", step + 1, smooth, held, held / Math.log(2));
            }
        }
        System.out.printf(Locale.ROOT, "%d steps in %.1f s%n", steps, (System.nanoTime() - t0) / 1e9);
        System.out.println("sample: " + sample(model, vocab, s.substring(0, 8), 200, gen));
        Files.createDirectories(out);
        Path chart = out.resolve("char-lstm.png");
        new LineChart("Character-level LSTM on " + text.getFileName(), "step", "cross-entropy (nats/char)")
                .add("train (per batch)", trainCurve)
                .add("held out", heldX.stream().mapToDouble(Double::doubleValue).toArray(),
                        heldY.stream().mapToDouble(Double::doubleValue).toArray())
                .write(chart, 760, 460);
        System.out.println("wrote " + chart);
    }

    /** A batch of BATCH windows from {@code ids[from, to)}: one-hot inputs (B, T, V) and next-character targets (B, T). */
    private static Tensor[] batch(int[] ids, int from, int to, int v, Generator gen) {
        float[] x = new float[BATCH * SEQ * v], y = new float[BATCH * SEQ];
        for (int b = 0; b < BATCH; b++) {
            int start = from + gen.nextInt(to - from - SEQ - 1);
            fill(ids, start, v, x, y, b);
        }
        return new Tensor[] {Tensor.wrap(x, BATCH, SEQ, v), Tensor.wrap(y, BATCH, SEQ).toLong()};
    }

    private static void fill(int[] ids, int start, int v, float[] x, float[] y, int b) {
        for (int t = 0; t < SEQ; t++) {
            x[(b * SEQ + t) * v + ids[start + t]] = 1f;
            y[b * SEQ + t] = ids[start + t + 1];
        }
    }

    /** Mean loss over consecutive windows of the held-out text, in eval mode (no dropout). */
    private static double heldOut(Model model, CrossEntropyLoss criterion, int[] ids, int split, int v) {
        model.eval();
        int windows = Math.min(BATCH, (ids.length - split - 1) / SEQ);
        float[] x = new float[windows * SEQ * v], y = new float[windows * SEQ];
        for (int b = 0; b < windows; b++) {
            int start = split + b * SEQ;
            for (int t = 0; t < SEQ; t++) {
                x[(b * SEQ + t) * v + ids[start + t]] = 1f;
                y[b * SEQ + t] = ids[start + t + 1];
            }
        }
        try (var scope = GradMode.noGrad()) {
            Tensor logits = model.forward(Tensor.wrap(x, windows, SEQ, v));
            return criterion.forward(logits.permute(0, 2, 1), Tensor.wrap(y, windows, SEQ).toLong()).item();
        }
    }

    /** {@code n} characters drawn from the model after {@code prompt}, feeding the whole text so far each time. */
    private static String sample(Model model, List<Character> vocab, String prompt, int n, Generator gen) {
        model.eval();
        StringBuilder sb = new StringBuilder(prompt);
        int v = vocab.size();
        try (var scope = GradMode.noGrad()) {
            for (int i = 0; i < n; i++) {
                String ctx = sb.substring(Math.max(0, sb.length() - SEQ));
                float[] x = new float[ctx.length() * v];
                for (int t = 0; t < ctx.length(); t++) {
                    x[t * v + vocab.indexOf(ctx.charAt(t))] = 1f;
                }
                Tensor logits = model.forward(Tensor.wrap(x, 1, ctx.length(), v));
                float[] p = logits.select(1, ctx.length() - 1).mul(1.25f).softmax(1).toFloatArray(); // temperature 0.8
                double u = gen.nextFloat(), acc = 0;
                int pick = v - 1;
                for (int k = 0; k < v; k++) {
                    acc += p[k];
                    if (u < acc) {
                        pick = k;
                        break;
                    }
                }
                sb.append(vocab.get(pick));
            }
        }
        return sb.toString().replace("\n", " ");
    }
}
