package dev.linea.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Tensor;
import dev.linea.nn.Parameter;
import dev.linea.optim.Adam;
import dev.linea.optim.AdamW;
import dev.linea.optim.Optimizer;
import dev.linea.optim.OptimizerState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * AMSGrad steps against PyTorch ({@code golden/optim_options.txt}, written by
 * {@code scripts/golden/optim_options.py}), and the optimizer state dict's {@code betas} pair.
 */
class OptimizerOptionsGoldenTest {
    private static final Map<String, Function<List<Parameter>, Optimizer>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("adam_amsgrad", p -> new Adam(p, 0.05, 0.9, 0.999, 1e-8, 0, true));
        CASES.put("adam_amsgrad_wd", p -> new Adam(p, 0.02, 0.8, 0.9, 1e-6, 0.1, true));
        CASES.put("adamw_amsgrad", p -> new AdamW(p, 0.03, 0.9, 0.999, 1e-8, 0.05, true));
    }

    @TestFactory
    Stream<DynamicTest> amsgradStepsMatchPyTorch() {
        Golden g = Golden.load("optim_options.txt");
        assertEquals(List.copyOf(CASES.keySet()), g.cases(".p0"));
        return CASES.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            String name = e.getKey();
            Parameter p = new Parameter(g.tensor(name + ".p0"));
            Optimizer opt = e.getValue().apply(List.of(p));
            for (int step = 1; g.has(name + ".step" + step); step++) {
                p.setGrad(g.tensor(name + ".g" + step));
                opt.step();
                OptimizerGoldenTest.STEP_TOL.assertClose(name + " after step " + step, g.tensor(name + ".step" + step),
                        p.detach());
            }
            OptimizerGoldenTest.STEP_TOL.assertClose(name + " max_exp_avg_sq", g.tensor(name + ".max_exp_avg_sq"),
                    opt.stateDict().state().get(0).get("max_exp_avg_sq"));
        }));
    }

    @Test
    void stateDictHasPyTorchsBetasPairAndLoadsIt() {
        Parameter p = new Parameter(Tensor.ones(2));
        Adam opt = new Adam(List.of(p), 0.01, 0.8, 0.95, 1e-8, 0, true);
        p.setGrad(Tensor.ones(2));
        opt.step();
        OptimizerState s = opt.stateDict();
        Map<String, Object> group = s.paramGroups().get(0);
        assertEquals(List.of(0.8, 0.95), group.get("betas"));
        assertTrue(!group.containsKey("beta1") && !group.containsKey("beta2"), group.toString());
        assertEquals(1.0, group.get("amsgrad"));
        Adam other = new Adam(List.of(new Parameter(Tensor.ones(2))));
        other.loadStateDict(s);
        assertEquals(0.8, other.paramGroups().get(0).get("beta1"));
        assertEquals(1.0, other.paramGroups().get(0).get("amsgrad"));
        // A state saved before amsgrad and the pair existed (beta1/beta2, no amsgrad) still loads, amsgrad off.
        Map<String, Object> old = new LinkedHashMap<>(Map.of("lr", 0.01, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8,
                "weight_decay", 0.0, "params", List.of(0)));
        Adam third = new Adam(List.of(new Parameter(Tensor.ones(2))), 0.01, 0.9, 0.999, 1e-8, 0, true);
        third.loadStateDict(new OptimizerState(Map.of(), List.of(old)));
        assertEquals(0.0, third.paramGroups().get(0).get("amsgrad"));
    }
}
