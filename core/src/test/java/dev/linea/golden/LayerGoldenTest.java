package dev.linea.golden;

import static dev.linea.golden.GoldenCases.op;

import dev.linea.Tensor;
import dev.linea.golden.GoldenCases.Outcome;
import dev.linea.nn.functional.F;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The layer options of issue 11 against PyTorch ({@code golden/layers.txt}, written by {@code scripts/golden/layers.py}). */
class LayerGoldenTest {
    static final Map<String, Function<List<Tensor>, Outcome>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("gelu_tanh", op(in -> F.gelu(in.get(0), "tanh")));
        CASES.put("layer_norm_last", op(in -> F.layerNorm(in.get(0), new int[] {8}, in.get(1), in.get(2), 1e-5)));
        CASES.put("layer_norm_two", op(in -> F.layerNorm(in.get(0), new int[] {3, 8}, in.get(1), in.get(2), 1e-3)));
        CASES.put("layer_norm_plain", op(in -> F.layerNorm(in.get(0), new int[] {3, 8}, null, null, 1e-5)));
        CASES.put("layer_norm_odd", op(in -> F.layerNorm(in.get(0), new int[] {19}, in.get(1), in.get(2), 1e-5)));
    }

    @TestFactory
    Stream<DynamicTest> layersMatchPyTorch() {
        return GoldenCases.run("layers.txt", CASES, OpsGoldenTest.FORWARD_TOL, OpsGoldenTest.GRAD_TOL);
    }
}
