package dev.linea.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * ONNX's own backend node test cases (onnx v1.22.0, copied under {@code src/test/resources/onnx/backend/node}):
 * each a folder with {@code model.onnx} and {@code test_data_set_N/input_K.pb, output_K.pb}.
 */
final class BackendCases {
    static final Path ROOT = Path.of("src/test/resources/onnx/backend/node");

    private BackendCases() {}

    static List<Path> cases() throws IOException {
        try (Stream<Path> s = Files.list(ROOT)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        }
    }

    static List<Path> dataSets(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
    }

    static List<Path> files(Path set, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(set)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted((a, b) -> Integer.compare(
                    index(a), index(b))).toList();
        }
    }

    private static int index(Path p) {
        String n = p.getFileName().toString();
        return Integer.parseInt(n.substring(n.indexOf('_') + 1, n.indexOf('.')));
    }
}
