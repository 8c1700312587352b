package dev.linea.golden;

import dev.linea.nn.Parameter;
import dev.linea.optim.Adam;
import dev.linea.optim.AdamW;
import dev.linea.optim.Optimizer;
import dev.linea.optim.RMSprop;
import dev.linea.optim.SGD;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One and three optimizer steps against PyTorch ({@code golden/optim.txt}) from fixed parameters and
 * gradients: parameters within 1e-6 (relative plus absolute) after each step. The hyper-parameters
 * mirror {@code OPTIMIZERS} in {@code scripts/golden/generate.py}.
 */
class OptimizerGoldenTest {
    static final Tolerance STEP_TOL = Tolerance.allclose(1e-6, 1e-6);

    private static final Map<String, Function<List<Parameter>, Optimizer>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("sgd", p -> new SGD(p, 0.1));
        CASES.put("sgd_momentum", p -> new SGD(p, 0.1, 0.9));
        CASES.put("sgd_nesterov", p -> new SGD(p, 0.1, 0.9, 0, 0, true));
        CASES.put("sgd_weight_decay", p -> new SGD(p, 0.1, 0, 0, 0.01, false));
        CASES.put("sgd_dampening", p -> new SGD(p, 0.1, 0.9, 0.5, 0, false));
        CASES.put("sgd_all", p -> new SGD(p, 0.05, 0.8, 0, 0.1, true));
        CASES.put("adam", p -> new Adam(p, 0.01));
        CASES.put("adam_betas", p -> new Adam(p, 0.02, 0.8, 0.99, 1e-6, 0));
        CASES.put("adam_weight_decay", p -> new Adam(p, 0.01, 0.9, 0.999, 1e-8, 0.1));
        CASES.put("adamw", p -> new AdamW(p, 0.01));
        CASES.put("adamw_weight_decay", p -> new AdamW(p, 0.01, 0.9, 0.999, 1e-8, 0.5));
        CASES.put("rmsprop", p -> new RMSprop(p, 0.01));
        CASES.put("rmsprop_centered", p -> new RMSprop(p, 0.01, 0.99, 1e-8, 0, 0, true));
        CASES.put("rmsprop_momentum", p -> new RMSprop(p, 0.01, 0.99, 1e-8, 0, 0.9, false));
        CASES.put("rmsprop_weight_decay", p -> new RMSprop(p, 0.01, 0.9, 1e-8, 0.1, 0, false));
        CASES.put("rmsprop_all", p -> new RMSprop(p, 0.01, 0.95, 1e-6, 0.05, 0.5, true));
    }

    @TestFactory
    Stream<DynamicTest> optimizerStepsMatchPyTorch() {
        Golden g = Golden.load("optim.txt");
        List<String> cases = g.cases(".p0");
        DynamicTest coverage = DynamicTest.dynamicTest("every golden optimizer has a Java counterpart",
                () -> Assertions.assertEquals(new TreeSet<>(cases), new TreeSet<>(CASES.keySet())));
        return Stream.concat(Stream.of(coverage), cases.stream().filter(CASES::containsKey).map(name ->
                DynamicTest.dynamicTest(name, () -> {
                    Parameter p = new Parameter(g.tensor(name + ".p0"));
                    Optimizer opt = CASES.get(name).apply(List.of(p));
                    for (int step = 1; g.has(name + ".step" + step); step++) {
                        p.setGrad(g.tensor(name + ".g" + step));
                        opt.step();
                        STEP_TOL.assertClose(name + " after step " + step, g.tensor(name + ".step" + step), p.detach());
                    }
                })));
    }
}
