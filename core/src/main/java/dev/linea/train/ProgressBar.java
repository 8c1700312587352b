package dev.linea.train;

import dev.linea.io.TrainingProgress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * Per-epoch progress, as Keras's {@code verbose=1}: a live bar redrawn in place on a terminal (batches, loss,
 * samples/s, ETA), or a plain line every ten seconds when output goes to a file or pipe (CI), where carriage
 * returns would be noise; and after each epoch one line:
 * <pre>
 * Epoch 3/10  train loss 0.4123  test loss 0.4410  test accuracy 84.20%  lr 0.001  (2.1 s, 2,380 samples/s)
 * </pre>
 * ("test" is the validation data passed to {@code fit}; without it the line has the train loss alone).
 */
public final class ProgressBar implements Callback {
    private static final int BAR = 28;
    /** In plain mode, a progress line at most every 10 s: a log gets a pulse, not a flood. */
    private static final long PLAIN_EVERY_NANOS = 10_000_000_000L;
    private final PrintStream out;
    private final boolean live;
    private String prefix = "";
    private int total;
    private long start;
    private long lastDraw;
    private long lastPlain;
    private boolean drawn;

    /** A bar on {@code out}, live when standard output is a terminal ({@link #terminal()}). */
    public ProgressBar(PrintStream out) {
        this(out, terminal());
    }

    /** A bar on {@code out}, redrawn in place when {@code live}, else plain lines. */
    public ProgressBar(PrintStream out, boolean live) {
        this.out = Objects.requireNonNull(out);
        this.live = live;
    }

    /** True when standard output is an interactive terminal ({@code LINEA_PROGRESS=plain} forces plain lines). */
    public static boolean terminal() {
        if ("plain".equalsIgnoreCase(System.getenv("LINEA_PROGRESS"))) {
            return false;
        }
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    @Override
    public void onEpochBegin(Trainer trainer, int epoch) {
        prefix = String.format(Locale.ROOT, "Epoch %" + String.valueOf(trainer.epochs()).length() + "d/%d", epoch,
                trainer.epochs());
        total = trainer.batchesPerEpoch();
        start = lastPlain = System.nanoTime();
        lastDraw = 0;
    }

    @Override
    public void onBatchEnd(Trainer trainer, double meanLoss, long samples) {
        int done = trainer.batch();
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = samples / Math.max(seconds, 1e-9);
        if (live) {
            long now = System.nanoTime();
            if (done < total && now - lastDraw < 100_000_000L) {
                return; // redraw at most ten times a second
            }
            lastDraw = now;
            int filled = (int) ((long) BAR * done / Math.max(total, 1));
            String bar = "=".repeat(filled) + (filled < BAR ? ">" + " ".repeat(BAR - filled - 1) : "");
            double eta = done == 0 ? 0 : seconds / done * (total - done);
            out.printf(Locale.ROOT, "\r%s [%s] %d/%d  loss %.4f  %,.0f samples/s  ETA %s ", prefix, bar, done, total,
                    meanLoss, rate, clock(eta));
            out.flush();
            drawn = true;
        } else if (done < total && System.nanoTime() - lastPlain > PLAIN_EVERY_NANOS) {
            lastPlain = System.nanoTime();
            out.printf(Locale.ROOT, "%s  %d/%d batches  loss %.4f  %,.0f samples/s%n", prefix, done, total, meanLoss, rate);
        }
        if (done == total) {
            finish();
        }
    }

    @Override
    public void onInterrupted(Trainer trainer, TrainingProgress progress) {
        finish();
    }

    @Override
    public void onAbort(Trainer trainer, RuntimeException e) {
        finish();
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult r, TrainingProgress next) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch %d/%d  train loss %.4f", r.epoch(),
                trainer.epochs(), r.trainLoss()));
        if (r.validation() != null) {
            line.append(String.format(Locale.ROOT, "  test loss %.4f", r.validationLoss()));
            if (!Double.isNaN(r.validationAccuracy())) {
                line.append(String.format(Locale.ROOT, "  test accuracy %.2f%%", r.validationAccuracy() * 100));
            }
        }
        line.append(String.format(Locale.ROOT, "  lr %s  (%.1f s, %,.0f samples/s)", Float.toString((float) r.lr()),
                r.seconds(), r.samples() / Math.max(r.seconds(), 1e-9)));
        out.println(line);
    }

    /** Ends the bar's line so the next output starts on a fresh one. */
    private void finish() {
        if (live && drawn) {
            out.print("\r" + " ".repeat(prefix.length() + BAR + 70) + "\r");
            out.flush();
            drawn = false;
        }
    }

    /** {@code m:ss} or {@code h:mm:ss}. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
