package dev.linea.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

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
 * Reads the golden files written by {@code scripts/golden/generate.py} (one tensor a line:
 * {@code name shape v1 v2 ...}) and compares tensors with a relative-plus-absolute tolerance.
 */
final class Golden {
    private Golden() {}

    /** The tensors of {@code golden/<file>}, in file order. */
    static Map<String, Tensor> load(String file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String line : lines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.trim().split("\\s+");
            out.put(parts[0], parseTensor(parts, 1));
        }
        return out;
    }

    /** Parses {@code shape v1 v2 ...} starting at {@code parts[from]}. */
    static Tensor parseTensor(String[] parts, int from) {
        int[] shape = parts[from].equals("-") ? new int[0]
                : Arrays.stream(parts[from].split("x")).mapToInt(Integer::parseInt).toArray();
        float[] v = new float[parts.length - from - 1];
        for (int i = 0; i < v.length; i++) {
            v[i] = parseFloat(parts[from + 1 + i]);
        }
        return Tensor.wrap(v, shape);
    }

    private static float parseFloat(String s) {
        return switch (s) {
            case "nan" -> Float.NaN;
            case "inf" -> Float.POSITIVE_INFINITY;
            case "-inf" -> Float.NEGATIVE_INFINITY;
            default -> Float.parseFloat(s);
        };
    }

    static List<String> lines(String file) {
        String path = "/golden/" + file;
        try (InputStream in = Golden.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing golden file " + path + ": run scripts/golden/generate.py");
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

    /** Case names: the prefixes of entries ending in {@code suffix}, in file order. */
    static List<String> cases(Map<String, Tensor> golden, String suffix) {
        return golden.keySet().stream().filter(k -> k.endsWith(suffix))
                .map(k -> k.substring(0, k.length() - suffix.length())).toList();
    }

    /** Asserts same shape and {@code |actual - expected| <= atol + rtol·|expected|} element by element. */
    static void assertClose(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        if (actual == null) {
            fail(what + ": expected a tensor of shape " + Arrays.toString(expected.shape()) + ", got null");
        }
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < e.length; i++) {
            if (Float.isNaN(e[i]) && Float.isNaN(a[i]) || e[i] == a[i]) {
                continue;
            }
            double err = Math.abs((double) a[i] - e[i]);
            double tol = atol + rtol * Math.abs(e[i]);
            double excess = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / tol;
            if (excess > 1 && excess > worstExcess) {
                worstExcess = excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(String.format(java.util.Locale.ROOT, "%s: element %d is %.9g, PyTorch gives %.9g (rtol=%g, atol=%g)",
                    what, worst, a[worst], e[worst], rtol, atol));
        }
    }
}
