package dev.linea.data;

import dev.linea.Tensor;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A classification table from a CSV file: a header row naming the columns, one example per row, one column of
 * class labels (any text) chosen by name, every other column a number. Example {@code i} is row {@code i}'s
 * features, shape (F), and its class index as a 0-D int64 tensor, ready for {@code CrossEntropyLoss}:
 * <pre>{@code
 * CsvDataset iris = CsvDataset.read(Path.of("iris.csv"), "species");
 * iris.numFeatures();  // 4
 * iris.classNames();   // [setosa, versicolor, virginica]
 * }</pre>
 *
 * <p>Class names are the label column's distinct values in sorted order (by {@link String#compareTo}), as
 * scikit-learn's {@code LabelEncoder} and torchvision's {@code ImageFolder} number them, so the same file
 * always gives the same indices whatever order its rows come in. {@link #read(Path, String, List)} fixes the
 * names instead (a test file then uses the training file's indices).
 *
 * <p>The file is UTF-8 (a byte-order mark is skipped), comma-separated, RFC 4180 quoting (a field in double
 * quotes may hold commas and line breaks). A number is a decimal such as {@code 3}, {@code -0.5} or {@code 1e-3};
 * surrounding spaces are ignored. Anything else is a {@link CsvFormatException} naming the file, the line and the
 * column: an empty file, no rows, a missing label column, a row with more or fewer fields than the header, an
 * empty or non-numeric feature cell, an empty label, a label outside fixed class names.
 */
public final class CsvDataset implements SupervisedDataset {
    /** A plain decimal number: what spreadsheets and pandas write (no hex, no "NaN", no "1f"). */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final String source;
    private final List<String> featureNames;
    private final String labelColumn;
    private final List<String> classNames;
    private final float[] features; // N x F, row-major
    private final float[] labels;
    private final int numFeatures;

    private CsvDataset(String source, List<String> featureNames, String labelColumn, List<String> classNames,
                       float[] features, float[] labels) {
        this.source = source;
        this.featureNames = List.copyOf(featureNames);
        this.labelColumn = labelColumn;
        this.classNames = List.copyOf(classNames);
        this.features = features;
        this.labels = labels;
        this.numFeatures = featureNames.size();
    }

    /**
     * Reads {@code file}, labels from column {@code labelColumn}, class names sorted.
     *
     * @throws CsvFormatException when the file is not such a table (the message names file, line and column)
     * @throws java.nio.file.NoSuchFileException when there is no such file
     */
    public static CsvDataset read(Path file, String labelColumn) throws IOException {
        return read(file, labelColumn, null);
    }

    /**
     * As {@link #read(Path, String)} with the class names given: label {@code classNames.get(i)} is class
     * {@code i}, and a label not among them is an error.
     */
    public static CsvDataset read(Path file, String labelColumn, List<String> classNames) throws IOException {
        Objects.requireNonNull(labelColumn, "labelColumn");
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new CsvFormatException(name, ": is a directory, not a CSV file");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CsvFormatException(name, ": not UTF-8 text");
        }
        return parse(text, name, labelColumn, classNames);
    }

    /** The table in {@code text}; {@code source} names it in messages (as a file name would). */
    public static CsvDataset parse(String text, String source, String labelColumn, List<String> classNames)
            throws CsvFormatException {
        List<Csv.Row> rows = Csv.parse(text, source);
        if (rows.isEmpty()) {
            throw new CsvFormatException(source, ": empty, expected a header row naming the columns");
        }
        List<String> header = rows.getFirst().fields().stream().map(String::strip).toList();
        int label = header.indexOf(labelColumn);
        if (label < 0) {
            throw new CsvFormatException(source, ":" + rows.getFirst().line() + ": no column '" + labelColumn
                    + "' in the header (columns: " + String.join(", ", header) + ")");
        }
        if (rows.size() == 1) {
            throw new CsvFormatException(source, ": a header but no rows");
        }
        int columns = header.size(), f = columns - 1, n = rows.size() - 1;
        if (f == 0) {
            throw new CsvFormatException(source, ":" + rows.getFirst().line() + ": only the label column '"
                    + labelColumn + "', no feature columns");
        }
        List<String> featureNames = new ArrayList<>(header);
        featureNames.remove(label);
        float[] x = new float[Math.multiplyExact(n, f)];
        String[] labelText = new String[n];
        for (int r = 0; r < n; r++) {
            Csv.Row row = rows.get(r + 1);
            if (row.fields().size() != columns) {
                throw new CsvFormatException(source, ":" + row.line() + ": " + row.fields().size() + " field"
                        + (row.fields().size() == 1 ? "" : "s") + ", but the header has " + columns);
            }
            int j = 0;
            for (int c = 0; c < columns; c++) {
                String cell = row.fields().get(c).strip();
                if (c == label) {
                    if (cell.isEmpty()) {
                        throw new CsvFormatException(source, ":" + row.line() + ": column '" + labelColumn + "' ("
                                + (c + 1) + "): empty label");
                    }
                    labelText[r] = cell;
                    continue;
                }
                x[r * f + j++] = number(cell, source, row.line(), header.get(c), c);
            }
        }
        List<String> names = classNames != null ? List.copyOf(classNames) : List.copyOf(new TreeSet<>(Arrays.asList(labelText)));
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        float[] y = new float[n];
        for (int r = 0; r < n; r++) {
            Integer k = index.get(labelText[r]);
            if (k == null) {
                throw new CsvFormatException(source, ":" + rows.get(r + 1).line() + ": column '" + labelColumn
                        + "' (" + (label + 1) + "): '" + abbreviated(labelText[r]) + "' is not one of the classes "
                        + names);
            }
            y[r] = k;
        }
        return new CsvDataset(source, featureNames, labelColumn, names, x, y);
    }

    private static float number(String cell, String source, int line, String column, int c) throws CsvFormatException {
        String where = ":" + line + ": column '" + column + "' (" + (c + 1) + "): ";
        if (cell.isEmpty()) {
            throw new CsvFormatException(source, where + "empty cell, expected a number");
        }
        if (!NUMBER.matcher(cell).matches()) {
            throw new CsvFormatException(source, where + "'" + abbreviated(cell) + "' is not a number");
        }
        float v = Float.parseFloat(cell);
        if (Float.isInfinite(v)) {
            throw new CsvFormatException(source, where + cell + " is beyond float32 (at most " + Float.MAX_VALUE + ")");
        }
        return v;
    }

    private static String abbreviated(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    @Override
    public int size() {
        return labels.length;
    }

    /** The number of feature columns F. */
    public int numFeatures() {
        return numFeatures;
    }

    /** The feature columns' names, in file order (the label column left out). */
    public List<String> featureNames() {
        return featureNames;
    }

    /** The label column's name. */
    public String labelColumn() {
        return labelColumn;
    }

    /** Class names indexed by class. */
    public List<String> classNames() {
        return classNames;
    }

    /** Class index of row {@code index}. */
    public int label(int index) {
        return (int) labels[Objects.checkIndex(index, size())];
    }

    /** Row {@code index}'s features (F) and class index (0-D, int64 as PyTorch's labels). */
    @Override
    public Example get(int index) {
        Objects.checkIndex(index, size());
        return new Example(Tensor.wrap(Arrays.copyOfRange(features, index * numFeatures, (index + 1) * numFeatures),
                numFeatures), Tensor.ofLongs(new long[] {(long) labels[index]}).reshape());
    }

    /** Rows at {@code indices}: features (B, F), class indices (B, int64 as PyTorch's loaders give them). */
    @Override
    public Batch batch(int[] indices) {
        float[] x = new float[Math.multiplyExact(indices.length, numFeatures)];
        long[] y = new long[indices.length];
        for (int b = 0; b < indices.length; b++) {
            int i = Objects.checkIndex(indices[b], size());
            System.arraycopy(features, i * numFeatures, x, b * numFeatures, numFeatures);
            y[b] = (long) labels[i];
        }
        return new Batch(Tensor.wrap(x, indices.length, numFeatures), Tensor.ofLongs(y, indices.length));
    }

    /** The whole table: features (N, F) and class indices (N, int64), copies. */
    public Batch toTensors() {
        long[] y = new long[size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (long) labels[i];
        }
        return new Batch(Tensor.wrap(features.clone(), size(), numFeatures), Tensor.ofLongs(y, size()));
    }

    /** One line saying what was read, for logs. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %,d rows, %d feature%s, label '%s' with %d classes", source, size(),
                numFeatures, numFeatures == 1 ? "" : "s", labelColumn, classNames.size());
    }

    @Override
    public String toString() {
        return "CsvDataset[" + describe() + "]";
    }
}
