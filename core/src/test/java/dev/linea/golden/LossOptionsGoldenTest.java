package dev.linea.golden;

import static dev.linea.golden.GoldenCases.op;

import dev.linea.Tensor;
import dev.linea.golden.GoldenCases.Outcome;
import dev.linea.nn.BCEWithLogitsLoss;
import dev.linea.nn.Loss;
import dev.linea.nn.functional.Reduction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The loss options of issue 11 against PyTorch ({@code golden/losses_options.txt}, written by
 * {@code scripts/golden/losses_options.py}): values within 1e-5, gradients within 1e-4.
 */
class LossOptionsGoldenTest {
    static final Map<String, Function<List<Tensor>, Outcome>> CASES = new LinkedHashMap<>();

    static void add(String name, Loss loss) {
        CASES.put(name, op(in -> loss.forward(in.get(0), in.get(1))));
    }

    /** A case whose target (input 1) holds class indices: int64, as PyTorch's (the golden file stores floats). */
    static void addIndexed(String name, Loss loss) {
        CASES.put(name, op(in -> loss.forward(in.get(0), in.get(1).toLong())));
    }

    static {
        Map<String, Reduction> reductions = Map.of("mean", Reduction.MEAN, "sum", Reduction.SUM, "none", Reduction.NONE);
        Tensor pw = Tensor.of(0.5f, 1f, 2f, 3f);
        reductions.forEach((s, r) -> {
            add("bcel_zero_" + s, new BCEWithLogitsLoss(r, null));
            add("bcel_pw_zero_" + s, new BCEWithLogitsLoss(r, pw));
        });
        add("bcel_target_grad", new BCEWithLogitsLoss());
        add("bcel_pw_target_grad", new BCEWithLogitsLoss(Reduction.MEAN, pw));
        LossOptionsCases.addAll();
    }

    @TestFactory
    Stream<DynamicTest> lossOptionsMatchPyTorch() {
        return GoldenCases.run("losses_options.txt", CASES, OpsGoldenTest.FORWARD_TOL, OpsGoldenTest.GRAD_TOL);
    }
}
