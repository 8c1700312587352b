package dev.linea.cli.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row per epoch: {@code epoch,train_loss,test_loss,test_accuracy,lr,seconds}, kept as {@code metrics.csv};
 * {@code lr} is the learning rate of the epoch's last step (of the first parameter group).
 *
 * <p>Files written before the {@code lr} column existed ({@link #HEADER_WITHOUT_LR}) still resume, and keep
 * their columns: a run's table has one layout from its first row to its last.
 */
final class Metrics {
    static final String HEADER = "epoch,train_loss,test_loss,test_accuracy,lr,seconds";
    /** The header of Linea 0.1's tables, without the learning rate. */
    static final String HEADER_WITHOUT_LR = "epoch,train_loss,test_loss,test_accuracy,seconds";

    /** @param lr the learning rate of the epoch's last step; NaN in a table without the column */
    record Row(int epoch, double trainLoss, double testLoss, double testAccuracy, double lr, double seconds) {}

    private final List<Row> rows = new ArrayList<>();
    private final boolean withLr;

    Metrics() {
        this(true);
    }

    private Metrics(boolean withLr) {
        this.withLr = withLr;
    }

    void add(int epoch, double trainLoss, double testLoss, double testAccuracy, double lr, double seconds) {
        rows.add(new Row(epoch, trainLoss, testLoss, testAccuracy, lr, seconds));
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    double[] column(java.util.function.ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).toArray();
    }

    void save(Path runDir) throws IOException {
        StringBuilder sb = new StringBuilder(withLr ? HEADER : HEADER_WITHOUT_LR).append('\n');
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,", r.epoch, r.trainLoss, r.testLoss, r.testAccuracy));
            if (withLr) {
                sb.append(lr(r.lr)).append(',');
            }
            sb.append(String.format(Locale.ROOT, "%.3f%n", r.seconds));
        }
        dev.linea.internal.io.AtomicFiles.write(runDir.resolve(RunFiles.METRICS), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the rows of a run (for --resume), keeping those before {@code nextEpoch}, the checkpoint's epoch.
     * Rows from {@code nextEpoch} on were written by a run killed before its checkpoint (the trainer writes
     * the row first): they are dropped, with a line on {@code log}, and the epoch's new row replaces them.
     * A file that is not this table (another header, a row without its numbers, epochs not increasing from
     * 1) is one {@link IOException} line naming the file, the line and what is wrong. A table without the
     * {@code lr} column (Linea 0.1) is read as it is and written back in its own layout.
     */
    static Metrics load(Path runDir, int nextEpoch, PrintStream log) throws IOException {
        Path f = runDir.resolve(RunFiles.METRICS);
        if (!Files.exists(f)) {
            return new Metrics();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(f + ": not a metrics table (not UTF-8 text)");
        }
        String header = lines.isEmpty() ? "" : lines.getFirst().strip();
        if (!header.equals(HEADER) && !header.equals(HEADER_WITHOUT_LR)) {
            throw new IOException(f + ": line 1 is not the metrics header '" + HEADER + "': '"
                    + (lines.isEmpty() ? "" : abbreviated(lines.getFirst())) + "'");
        }
        Metrics m = new Metrics(header.equals(HEADER));
        int numbers = m.withLr ? 5 : 4; // after the epoch
        List<Integer> dropped = new ArrayList<>();
        int previous = 0;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] p = line.split(",", -1);
            int epoch;
            double[] v = new double[numbers];
            try {
                if (p.length != numbers + 1) {
                    throw new NumberFormatException();
                }
                epoch = Integer.parseInt(p[0]);
                for (int k = 0; k < numbers; k++) {
                    v[k] = Double.parseDouble(p[k + 1]);
                }
            } catch (NumberFormatException e) {
                throw new IOException(f + ": line " + (i + 1) + " is not a metrics row (epoch and "
                        + (numbers == 4 ? "four" : "five") + " numbers): '" + abbreviated(line) + "'");
            }
            if (epoch <= previous) {
                throw new IOException(f + ": line " + (i + 1) + " is epoch " + epoch + ", after epoch " + previous
                        + " (epochs count up from 1)");
            }
            previous = epoch;
            if (epoch < nextEpoch) {
                m.add(epoch, v[0], v[1], v[2], m.withLr ? v[3] : Double.NaN, v[numbers - 1]);
            } else {
                dropped.add(epoch);
            }
        }
        if (!dropped.isEmpty()) {
            log.printf(Locale.ROOT, "%s: dropped the row%s of epoch%s %s, written after the checkpoint (epoch %d) "
                            + "by a run that was stopped before saving it; %s trained again.%n", f,
                    dropped.size() == 1 ? "" : "s", dropped.size() == 1 ? "" : "s",
                    dropped.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")),
                    nextEpoch - 1, dropped.size() == 1 ? "that epoch is" : "those epochs are");
        }
        return m;
    }

    /** The rate as the float32 the optimizer stepped with, shortest form ("0.001", "2.5E-4"). */
    static String lr(double lr) {
        return Float.toString((float) lr);
    }

    /** A line of a damaged file, cut so that the message stays one readable line. */
    private static String abbreviated(String line) {
        String s = line.strip();
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
