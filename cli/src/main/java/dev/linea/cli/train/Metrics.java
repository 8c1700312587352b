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
     */
    static Metrics load(Path runDir, int nextEpoch, PrintStream log) throws IOException {
        Metrics m = new Metrics();
        Path f = runDir.resolve(RunFiles.METRICS);
        if (!Files.exists(f)) {
            return m;
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        List<Integer> dropped = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] p = line.split(",");
            try {
                int epoch = Integer.parseInt(p[0]);
                if (epoch >= nextEpoch) {
                    dropped.add(epoch);
                } else {
                    m.add(epoch, Double.parseDouble(p[1]), Double.parseDouble(p[2]), Double.parseDouble(p[3]), Double.parseDouble(p[4]));
                }
            } catch (RuntimeException e) {
                throw new IOException(f + ": line " + (i + 1) + " is not a metrics row: '" + line + "'");
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
}
