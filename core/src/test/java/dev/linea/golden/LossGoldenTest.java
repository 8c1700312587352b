package dev.linea.golden;

import static dev.linea.golden.GoldenCases.op;

import dev.linea.Tensor;
import dev.linea.golden.GoldenCases.Outcome;
import dev.linea.nn.BCELoss;
import dev.linea.nn.BCEWithLogitsLoss;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Loss;
import dev.linea.nn.MSELoss;
import dev.linea.nn.NLLLoss;
import dev.linea.nn.functional.Reduction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every loss and reduction against PyTorch ({@code golden/losses.txt}): values within 1e-5, input
 * gradients within 1e-4 (relative plus absolute).
 */
class LossGoldenTest {
    private static final Map<String, Function<List<Tensor>, Outcome>> CASES = new LinkedHashMap<>();

    private static void add(String name, Loss loss) {
        CASES.put(name, op(in -> loss.forward(in.get(0), in.get(1))));
    }

    /** A case whose target holds class indices: the golden file stores them as floats, PyTorch took them as int64. */
    private static void addIndexed(String name, Loss loss) {
        CASES.put(name, op(in -> loss.forward(in.get(0), in.get(1).toLong())));
    }

    static {
        Map<String, Reduction> reductions = Map.of("mean", Reduction.MEAN, "sum", Reduction.SUM, "none", Reduction.NONE);
        Tensor pw = Tensor.of(0.5f, 1f, 2f, 3f);
        reductions.forEach((s, r) -> {
            addIndexed("ce_" + s, new CrossEntropyLoss(r));
            addIndexed("ce_ls_" + s, new CrossEntropyLoss(r, 0.1f));
            add("ce_soft_" + s, new CrossEntropyLoss(r));
            add("ce_soft_ls_" + s, new CrossEntropyLoss(r, 0.2f));
            addIndexed("nll_" + s, new NLLLoss(r));
            add("mse_" + s, new MSELoss(r));
            add("bce_" + s, new BCELoss(r));
            add("bcel_" + s, new BCEWithLogitsLoss(r, null));
            add("bcel_pw_" + s, new BCEWithLogitsLoss(r, pw));
        });
        addIndexed("ce_unbatched", new CrossEntropyLoss());
        add("bce_saturated", new BCELoss());
        addIndexed("nll_unbatched_none", new NLLLoss(Reduction.NONE));
    }

    @TestFactory
    Stream<DynamicTest> lossesMatchPyTorch() {
        return GoldenCases.run("losses.txt", CASES, OpsGoldenTest.FORWARD_TOL, OpsGoldenTest.GRAD_TOL);
    }
}
