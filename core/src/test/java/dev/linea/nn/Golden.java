package dev.linea.nn;

import dev.linea.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads a golden file written by {@code scripts/golden/*.py}: one tensor per line, {@code name shape v1 v2 ...}
 * with shape comma-separated ({@code scalar} for 0-d).
 */
final class Golden {
    private final Map<String, Tensor> tensors = new HashMap<>();
    private final String resource;

    private Golden(String resource) {
        this.resource = resource;
    }

    static Golden load(String resource) {
        Golden g = new Golden(resource);
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing test resource " + resource);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                int[] shape = parts[1].equals("scalar") ? new int[0]
                        : java.util.Arrays.stream(parts[1].split(",")).mapToInt(Integer::parseInt).toArray();
                float[] v = new float[parts.length - 2];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Float.parseFloat(parts[i + 2]);
                }
                g.tensors.put(parts[0], Tensor.wrap(v, shape));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return g;
    }

    /** A fresh copy of the named tensor. */
    Tensor get(String name) {
        Tensor t = tensors.get(name);
        assertNotNull(t, "no tensor " + name + " in " + resource);
        return Tensor.wrap(t.toFloatArray(), t.shape());
    }

    boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** Asserts {@code |actual − expected| ≤ tol·max(1, |expected|)} elementwise, with matching shapes. */
    void assertClose(String name, Tensor actual, double tol) {
        Tensor expected = get(name);
        assertNotNull(actual, name + ": actual tensor is null");
        assertArrayEquals(expected.shape(), actual.shape(), name + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs((double) a[i] - e[i]);
            if (!(err <= tol * Math.max(1.0, Math.abs(e[i])))) {
                fail(name + "[" + i + "]: expected " + e[i] + ", got " + a[i] + " (error " + err + ", tolerance " + tol + ")");
            }
        }
    }
}
