package dev.linea.optim.lr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads golden files of lines {@code key index v1 v2 ...} into key → rows (index order). */
final class Golden {
    private Golden() {}

    static String text(String resource) throws IOException {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + resource)) {
            if (in != null) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return Files.readString(Path.of("src/test/resources/golden", resource));
    }

    static Map<String, List<double[]>> table(String resource) throws IOException {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        for (String line : text(resource).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            List<double[]> rows = out.computeIfAbsent(f[0], k -> new ArrayList<>());
            if (Integer.parseInt(f[1]) != rows.size()) {
                throw new IllegalStateException("golden rows out of order at: " + line);
            }
            double[] v = new double[f.length - 2];
            for (int i = 0; i < v.length; i++) {
                v[i] = Double.parseDouble(f[i + 2]);
            }
            rows.add(v);
        }
        return out;
    }
}
