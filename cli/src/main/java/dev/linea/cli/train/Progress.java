package dev.linea.cli.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Per-epoch progress: a live bar redrawn in place on a terminal (batches, loss, samples/s, ETA), or a
 * plain line every ten seconds when output goes to a file or pipe (CI), where carriage returns would be
 * noise.
 */
final class Progress {
    private static final int BAR = 28;
    /** In plain mode, a progress line at most every 10 s: a log gets a pulse, not a flood. */
    private static final long PLAIN_EVERY_NANOS = 10_000_000_000L;
    private final PrintStream out;
    private final boolean live;
    private final String prefix;
    private final int total;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long lastPlain = System.nanoTime();

    Progress(PrintStream out, boolean live, int epoch, int epochs, int totalBatches) {
        this.out = out;
        this.live = live;
        this.prefix = String.format(Locale.ROOT, "Epoch %" + String.valueOf(epochs).length() + "d/%d", epoch, epochs);
        this.total = totalBatches;
    }

    /** True when standard output is an interactive terminal (LINEA_PROGRESS=plain forces plain lines). */
    static boolean terminal() {
        if ("plain".equalsIgnoreCase(System.getenv("LINEA_PROGRESS"))) {
            return false;
        }
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Reports {@code done} of the epoch's batches, with the running mean loss and the samples seen. */
    void update(int done, double meanLoss, long samples) {
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
        } else if (done < total && System.nanoTime() - lastPlain > PLAIN_EVERY_NANOS) {
            lastPlain = System.nanoTime();
            out.printf(Locale.ROOT, "%s  %d/%d batches  loss %.4f  %,.0f samples/s%n", prefix, done, total, meanLoss, rate);
        }
    }

    /** Ends the bar's line so the epoch summary starts on a fresh one. */
    void finish() {
        if (live) {
            out.print("\r" + " ".repeat(prefix.length() + BAR + 70) + "\r");
            out.flush();
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
