package dev.linea.golden;

import dev.linea.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A golden file of values computed by PyTorch ({@code core/src/test/resources/golden/}, written by
 * {@code scripts/golden/*.py} through {@code golden_file.py}), the one reader every golden test uses.
 *
 * <p>One tensor a line: {@code name shape v1 v2 ...}. {@code shape} is the sizes joined by {@code x}
 * ({@code 2x3}), {@code -} for a 0-d tensor, {@code 0} for an empty 1-D tensor; the values follow in
 * row-major order, with {@code inf}, {@code -inf} and {@code nan} spelled so; {@code #} starts a comment
 * line. float32 tensors are written with {@code %.9g} and {@link #tensor} reads them back exactly;
 * values PyTorch computes in double (learning rates, norms) are written as the shortest round-trip decimal
 * and {@link #values} reads them in double precision.
 */
public final class Golden {
    /** One line: its sizes and its values as written (parsed on access, as float or double). */
    private record Entry(int[] shape, String[] values, int line) {}

    private final String file;
    private final Map<String, Entry> entries;

    private Golden(String file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Reads {@code golden/<file>} from the test class path. */
    public static Golden load(String file) {
        return parse(file, lines(file));
    }

    /** Parses {@code lines} as the lines of a golden file named {@code file} (the name is for messages). */
    public static Golden parse(String file, List<String> lines) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String where = file + " line " + (i + 1);
            if (parts.length < 2) {
                throw new IllegalStateException(where + ": expected 'name shape values...', got '" + line + "'");
            }
            int[] shape = parseShape(parts[1], where);
            String[] values = Arrays.copyOfRange(parts, 2, parts.length);
            long numel = 1;
            for (int d : shape) {
                numel *= d;
            }
            if (values.length != numel) {
                throw new IllegalStateException(where + ": " + parts[0] + " has shape " + Arrays.toString(shape)
                        + " (" + numel + " values) but " + values.length + " values");
            }
            if (entries.put(parts[0], new Entry(shape, values, i + 1)) != null) {
                throw new IllegalStateException(where + ": " + parts[0] + " appears twice");
            }
        }
        return new Golden(file, entries);
    }

    private static int[] parseShape(String s, String where) {
        if (s.equals("-")) {
            return new int[0];
        }
        try {
            int[] shape = Arrays.stream(s.split("x", -1)).mapToInt(Integer::parseInt).toArray();
            for (int d : shape) {
                if (d < 0) {
                    throw new NumberFormatException("negative size");
                }
            }
            return shape;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(where + ": shape must be sizes joined by 'x' (2x3) or '-' for 0-d, got '"
                    + s + "'", e);
        }
    }

    /** The lines of {@code golden/<file>} on the test class path. */
    public static List<String> lines(String file) {
        String path = "/golden/" + file;
        try (InputStream in = Golden.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing golden file " + path + ": see core/src/test/resources/golden/README.md");
            }
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's name, as given to {@link #load}. */
    public String file() {
        return file;
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /** Case names: the prefixes of the entries whose names end in {@code suffix}, in file order. */
    public List<String> cases(String suffix) {
        return entries.keySet().stream().filter(k -> k.endsWith(suffix))
                .map(k -> k.substring(0, k.length() - suffix.length())).toList();
    }

    /** The sizes of an entry. */
    public int[] shape(String name) {
        return entry(name).shape().clone();
    }

    /** A fresh float32 tensor of an entry (each call a new copy, so tests may modify or require grad on it). */
    public Tensor tensor(String name) {
        Entry e = entry(name);
        float[] v = new float[e.values().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) parse(e.values()[i], true, name, e);
        }
        return Tensor.wrap(v, e.shape().clone());
    }

    /** The values of an entry in double precision, row-major. */
    public double[] values(String name) {
        Entry e = entry(name);
        double[] v = new double[e.values().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = parse(e.values()[i], false, name, e);
        }
        return v;
    }

    /** The one value of a 0-d entry, in double precision. */
    public double value(String name) {
        Entry e = entry(name);
        if (e.shape().length != 0) {
            throw new IllegalStateException(where(e) + ": " + name + " has shape " + Arrays.toString(e.shape())
                    + ", expected a 0-d value");
        }
        return parse(e.values()[0], false, name, e);
    }

    /**
     * Asserts that {@code actual} matches the entry {@code name} within {@code tol}.
     *
     * @see Tolerance#assertClose(String, Tensor, Tensor)
     */
    public void assertClose(String name, Tensor actual, Tolerance tol) {
        tol.assertClose(file + " " + name, tensor(name), actual);
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no entry '" + name + "' in golden file " + file);
        }
        return e;
    }

    private String where(Entry e) {
        return file + " line " + e.line();
    }

    /** A value as written; {@code asFloat} parses it as the nearest float32, as PyTorch stored it. */
    private double parse(String s, boolean asFloat, String name, Entry e) {
        try {
            return switch (s) {
                case "nan" -> Double.NaN;
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> asFloat ? Float.parseFloat(s) : Double.parseDouble(s);
            };
        } catch (NumberFormatException ex) {
            throw new IllegalStateException(where(e) + ": " + name + " has a value that is not a number: '" + s + "'",
                    ex);
        }
    }
}
