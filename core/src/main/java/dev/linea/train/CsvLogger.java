package dev.linea.train;

import dev.linea.internal.io.AtomicFiles;
import dev.linea.io.TrainingProgress;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One row per epoch in a CSV file, as Keras's {@code CSVLogger}: {@code epoch,train_loss,test_loss,test_accuracy,
 * lr,seconds} ("test": the validation data given to {@code fit}; {@code lr}: the rate of the epoch's last step,
 * as the float32 it was). The whole file is rewritten atomically after each epoch, so a kill leaves the previous
 * table or the new one. Put it after {@link DivergenceStop} and before {@link ModelCheckpoint}: a row is then never
 * behind the checkpoint, and one ahead of it (a kill between the two) is dropped by {@link #resume}.
 *
 * <p>Tables written before the {@code lr} column existed ({@link #HEADER_WITHOUT_LR}, Linea 0.1) still resume,
 * and keep their layout: a run's table has the same columns from its first row to its last.
 */
public final class CsvLogger implements Callback {
    /** The header of the table. */
    public static final String HEADER = "epoch,train_loss,test_loss,test_accuracy,lr,seconds";
    /** The header of Linea 0.1's tables, without the learning rate. */
    public static final String HEADER_WITHOUT_LR = "epoch,train_loss,test_loss,test_accuracy,seconds";

    /**
     * One epoch's row.
     *
     * @param epoch the epoch, from 1
     * @param trainLoss the epoch's mean training loss
     * @param testLoss the validation loss after it (NaN without validation data)
     * @param testAccuracy the validation accuracy after it (NaN without validation data)
     * @param lr the learning rate of the epoch's last step; NaN in a table without the column
     * @param seconds the epoch's training time
     */
    public record Row(int epoch, double trainLoss, double testLoss, double testAccuracy, double lr, double seconds) {}

    private final Path file;
    private final boolean withLr;
    private final List<Row> rows = new ArrayList<>();

    /** A new table in {@code file} (replacing any there at the first epoch's end). */
    public CsvLogger(Path file) {
        this(file, true);
    }

    private CsvLogger(Path file, boolean withLr) {
        this.file = file;
        this.withLr = withLr;
    }

    /** The rows so far. */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** One column of the rows, e.g. {@code column(Row::testLoss)}, for charts. */
    public double[] column(ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).toArray();
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult r, TrainingProgress next) {
        rows.add(new Row(r.epoch(), r.trainLoss(), r.validationLoss(), r.validationAccuracy(), r.lr(), r.seconds()));
        try {
            save();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the table atomically. */
    public void save() throws IOException {
        StringBuilder sb = new StringBuilder(withLr ? HEADER : HEADER_WITHOUT_LR).append('\n');
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,", r.epoch, r.trainLoss, r.testLoss, r.testAccuracy));
            if (withLr) {
                sb.append(Float.toString((float) r.lr)).append(',');
            }
            sb.append(String.format(Locale.ROOT, "%.3f%n", r.seconds));
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The logger of a resumed run: the rows of {@code file} before {@code nextEpoch}, the checkpoint's epoch (none
     * when there is no file). Rows from {@code nextEpoch} on were written by a run killed before its checkpoint:
     * they are dropped, with a line on {@code log}, and the epoch's new row replaces them. A file that is not this
     * table (another header, a row without its numbers, epochs not increasing from 1) is one {@link IOException}
     * line naming the file, the line and what is wrong.
     */
    public static CsvLogger resume(Path file, int nextEpoch, PrintStream log) throws IOException {
        if (!Files.exists(file)) {
            return new CsvLogger(file);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + ": not a metrics table (not UTF-8 text)");
        }
        String header = lines.isEmpty() ? "" : lines.getFirst().strip();
        if (!header.equals(HEADER) && !header.equals(HEADER_WITHOUT_LR)) {
            throw new IOException(file + ": line 1 is not the metrics header '" + HEADER + "': '"
                    + (lines.isEmpty() ? "" : abbreviated(lines.getFirst())) + "'");
        }
        CsvLogger m = new CsvLogger(file, header.equals(HEADER));
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
                throw new IOException(file + ": line " + (i + 1) + " is not a metrics row (epoch and "
                        + (numbers == 4 ? "four" : "five") + " numbers): '" + abbreviated(line) + "'");
            }
            if (epoch <= previous) {
                throw new IOException(file + ": line " + (i + 1) + " is epoch " + epoch + ", after epoch " + previous
                        + " (epochs count up from 1)");
            }
            previous = epoch;
            if (epoch < nextEpoch) {
                m.rows.add(new Row(epoch, v[0], v[1], v[2], m.withLr ? v[3] : Double.NaN, v[numbers - 1]));
            } else {
                dropped.add(epoch);
            }
        }
        if (!dropped.isEmpty()) {
            log.printf(Locale.ROOT, "%s: dropped the row%s of epoch%s %s, written after the checkpoint (epoch %d) "
                            + "by a run that was stopped before saving it; %s trained again.%n", file,
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
