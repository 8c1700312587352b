package dev.linea.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * ONNX's own backend node tests (243 float cases from onnx v1.22.0): every case whose ops Linea implements
 * must match ONNX's expected outputs at ONNX's tolerances, {@code |actual − expected| ≤ 1e-7 + 1e-3·|expected|}
 * (integer and bool outputs exactly). The cases Linea refuses are listed, with the reason, in
 * {@code onnx/unsupported.txt}; the list must be exactly the refused set, so a newly supported op (or a
 * regression) shows up here. Regenerate it with {@code -Dlinea.onnx.writeUnsupported=true}.
 */
class BackendConformanceTest {
    static final double RTOL = 1e-3, ATOL = 1e-7;
    private static final Path LIST = Path.of("src/test/resources/onnx/unsupported.txt");

    @Test
    void everyImplementedCaseMatchesOnnxsExpectedOutputs() throws Exception {
        Map<String, String> refused = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        int passed = 0;
        for (Path dir : BackendCases.cases()) {
            String name = dir.getFileName().toString();
            OnnxModule m;
            try {
                m = Onnx.load(dir.resolve("model.onnx"));
            } catch (OnnxFormatException e) {
                refused.put(name, e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
                continue;
            }
            try {
                String problem = null;
                for (Path set : BackendCases.dataSets(dir)) {
                    problem = problem != null ? problem : check(m, set);
                }
                if (problem == null) {
                    passed++;
                } else {
                    wrong.add(name + ": " + problem);
                }
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().contains("not supported")) {
                    refused.put(name, e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
                } else {
                    wrong.add(name + ": " + e);
                }
            }
        }
        StringBuilder list = new StringBuilder();
        refused.forEach((k, v) -> list.append(k).append(": ").append(v).append('\n'));
        if (Boolean.getBoolean("linea.onnx.writeUnsupported")) {
            Files.writeString(LIST, list.toString());
        }
        System.out.printf("ONNX backend cases: %d passed, %d refused, %d wrong%n", passed, refused.size(), wrong.size());
        assertEquals(List.of(), wrong, "cases Linea runs but gets wrong");
        Map<String, String> listed = new TreeMap<>();
        for (String line : Files.readAllLines(LIST, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                int c = line.indexOf(": ");
                listed.put(line.substring(0, c), line.substring(c + 2));
            }
        }
        assertEquals(listed.keySet(), refused.keySet(), "refused cases differ from " + LIST);
        assertEquals(243, passed + refused.size());
        assertTrue(passed >= 200, "only " + passed + " cases pass");
    }

    /** Null when the outputs of data set {@code set} match, else what differs. */
    static String check(OnnxModule m, Path set) throws IOException {
        List<Path> ins = BackendCases.files(set, "input_"), outs = BackendCases.files(set, "output_");
        Map<String, Value> given = new LinkedHashMap<>();
        for (int i = 0; i < ins.size(); i++) {
            TensorProto t = OnnxCodec.readTensor(ins.get(i));
            given.put(m.inputNames().get(i), NodeOps.tensorValue(t));
        }
        Map<String, Value> got = m.run(given);
        for (int i = 0; i < outs.size(); i++) {
            TensorProto want = OnnxCodec.readTensor(outs.get(i));
            Value v = got.get(m.outputNames().get(i));
            String problem = compare(v, want);
            if (problem != null) {
                return set.getFileName() + " output " + i + ": " + problem;
            }
        }
        return null;
    }

    static String compare(Value v, TensorProto want) {
        int[] shape = want.shape();
        if (!java.util.Arrays.equals(shape, v.shape)) {
            return "shape " + java.util.Arrays.toString(v.shape) + ", expected " + java.util.Arrays.toString(shape);
        }
        DataType t = want.type();
        if (t != DataType.FLOAT && t != DataType.DOUBLE && t != DataType.FLOAT16) {
            long[] e = want.toLongs(), a = v.asLongs("output");
            return java.util.Arrays.equals(e, a) ? null : "values " + java.util.Arrays.toString(a) + ", expected "
                    + java.util.Arrays.toString(e);
        }
        float[] e = want.toFloats();
        Tensor out = v.asTensor();
        float[] a = out.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Float.isNaN(e[i]) ? Float.isNaN(a[i])
                    : e[i] == a[i] || Math.abs(a[i] - e[i]) <= ATOL + RTOL * Math.abs(e[i]);
            if (!ok) {
                return "element " + i + " is " + a[i] + ", expected " + e[i];
            }
        }
        return null;
    }
}
