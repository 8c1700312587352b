package dev.linea.golden;

import static dev.linea.golden.GoldenCases.op;

import dev.linea.Tensor;
import dev.linea.golden.GoldenCases.Outcome;
import dev.linea.nn.Conv2d;
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
        for (String mode : new String[] {"constant", "reflect", "replicate", "circular"}) {
            CASES.put("pad_" + mode, op(in -> F.pad(in.get(0), new int[] {2, 1, 1, 3}, mode, 0f)));
        }
        for (String mode : new String[] {"zeros", "reflect", "replicate", "circular"}) {
            CASES.put("conv_same_" + mode, op(in -> conv(new Conv2d(2, 3, new int[] {2, 3}, new int[] {1, 1}, "same",
                    new int[] {2, 1}, 1, true, mode), in)));
        }
        CASES.put("conv_reflect_strided", op(in -> conv(new Conv2d(2, 3, new int[] {2, 3}, new int[] {2, 1},
                new int[] {1, 2}, new int[] {1, 1}, 1, true, "reflect"), in)));
        CASES.put("conv_valid", op(in -> conv(new Conv2d(2, 3, new int[] {2, 3}, new int[] {1, 1}, "valid",
                new int[] {1, 1}, 1, true, "zeros"), in)));
        CASES.put("layer_norm_odd", op(in -> F.layerNorm(in.get(0), new int[] {19}, in.get(1), in.get(2), 1e-5)));
    }

    /** The layer with PyTorch's weight and bias (inputs 1 and 2) applied to input 0. */
    private static Tensor conv(Conv2d m, List<Tensor> in) {
        m.loadStateDict(Map.of("weight", in.get(1), "bias", in.get(2)));
        return m.forward(in.get(0));
    }

    @TestFactory
    Stream<DynamicTest> layersMatchPyTorch() {
        return GoldenCases.run("layers.txt", CASES, OpsGoldenTest.FORWARD_TOL, OpsGoldenTest.GRAD_TOL);
    }
}
