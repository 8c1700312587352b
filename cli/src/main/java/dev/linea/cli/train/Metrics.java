package dev.linea.cli.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One row per epoch: {@code epoch,train_loss,test_loss,test_accuracy,seconds}, kept as {@code metrics.csv}. */
final class Metrics {
    static final String HEADER = "epoch,train_loss,test_loss,test_accuracy,seconds";

    record Row(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds) {}

    private final List<Row> rows = new ArrayList<>();

    void add(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds) {
        rows.add(new Row(epoch, trainLoss, testLoss, testAccuracy, seconds));
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    double[] column(java.util.function.ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).toArray();
    }

    void save(Path runDir) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.3f%n", r.epoch, r.trainLoss, r.testLoss, r.testAccuracy, r.seconds));
        }
        dev.linea.internal.io.AtomicFiles.write(runDir.resolve(RunFiles.METRICS), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the rows of a run (for --resume), keeping those before {@code nextEpoch}, the checkpoint's epoch.
     * Rows from {@code nextEpoch} on were written by a run killed before its checkpoint (the trainer writes
     * the row first): they are dropped, with a line on {@code log}, and the epoch's new row replaces them.
     * A file that is not this table (another header, a row without five numbers, epochs not increasing from
     * 1) is one {@link IOException} line naming the file, the line and what is wrong.
     */
    static Metrics load(Path runDir, int nextEpoch, PrintStream log) throws IOException {
        Metrics m = new Metrics();
        Path f = runDir.resolve(RunFiles.METRICS);
        if (!Files.exists(f)) {
            return m;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(f + ": not a metrics table (not UTF-8 text)");
        }
        if (lines.isEmpty() || !lines.getFirst().strip().equals(HEADER)) {
            throw new IOException(f + ": line 1 is not the metrics header '" + HEADER + "': '"
                    + (lines.isEmpty() ? "" : abbreviated(lines.getFirst())) + "'");
        }
        List<Integer> dropped = new ArrayList<>();
        int previous = 0;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] p = line.split(",", -1);
            int epoch;
            double[] v = new double[4];
            try {
                if (p.length != 5) {
                    throw new NumberFormatException();
                }
                epoch = Integer.parseInt(p[0]);
                for (int k = 0; k < 4; k++) {
                    v[k] = Double.parseDouble(p[k + 1]);
                }
            } catch (NumberFormatException e) {
                throw new IOException(f + ": line " + (i + 1) + " is not a metrics row (epoch and four numbers): '"
                        + abbreviated(line) + "'");
            }
            if (epoch <= previous) {
                throw new IOException(f + ": line " + (i + 1) + " is epoch " + epoch + ", after epoch " + previous
                        + " (epochs count up from 1)");
            }
            previous = epoch;
            if (epoch < nextEpoch) {
                m.add(epoch, v[0], v[1], v[2], v[3]);
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

    /** A line of a damaged file, cut so that the message stays one readable line. */
    private static String abbreviated(String line) {
        String s = line.strip();
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
