package dev.linea.optim;

import dev.linea.Tensor;
import dev.linea.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameter groups with per-group options, for every optimizer. */
class ParamGroupsTest {

    static Parameter param() {
        return new Parameter(Tensor.of(1f, -2f, 3f));
    }

    static void setGrad(Parameter p) {
        p.setGrad(Tensor.of(0.5f, 0.25f, -1f));
    }

    /** Group 0 has lr 0 and must not move; group 1 takes the default lr and must. */
    static void frozenGroupDoesNotMove(Function<List<ParamGroup>, Optimizer> make) {
        Parameter frozen = param(), live = param();
        Optimizer opt = make.apply(List.of(new ParamGroup(List.of(frozen), Map.of("lr", 0.0)), new ParamGroup(List.of(live))));
        for (int i = 0; i < 3; i++) {
            setGrad(frozen);
            setGrad(live);
            opt.step();
        }
        assertArrayEquals(new float[] {1f, -2f, 3f}, frozen.toFloatArray(), opt.getClass().getSimpleName());
        assertNotEquals(1f, live.toFloatArray()[0], opt.getClass().getSimpleName());
        assertEquals(0.0, opt.paramGroups().get(0).lr());
    }

    @Test
    void groupWithLrZeroDoesNotMoveForEveryOptimizer() {
        frozenGroupDoesNotMove(g -> SGD.groups(g, 0.1, 0.9, 0, 0, false));
        frozenGroupDoesNotMove(Adam::groups);
        frozenGroupDoesNotMove(AdamW::groups);
        frozenGroupDoesNotMove(RMSprop::groups);
    }

    @Test
    void perGroupWeightDecayInSgdMatchesTheFormula() {
        Parameter decayed = param(), plain = param();
        SGD opt = SGD.groups(List.of(new ParamGroup(List.of(decayed), Map.of("weight_decay", 0.5)),
                new ParamGroup(List.of(plain))), 0.1);
        setGrad(decayed);
        setGrad(plain);
        opt.step();
        // p - lr·(g + wd·p)
        assertArrayEquals(new float[] {1f - 0.1f * (0.5f + 0.5f), -2f - 0.1f * (0.25f - 1f), 3f - 0.1f * (-1f + 1.5f)},
                decayed.toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1f - 0.05f, -2f - 0.025f, 3f + 0.1f}, plain.toFloatArray(), 1e-6f);
    }

    @Test
    void perGroupWeightDecayInAdamWShrinksOnlyThatGroup() {
        Parameter decayed = param(), plain = param();
        AdamW opt = AdamW.groups(List.of(new ParamGroup(List.of(decayed), Map.of("weight_decay", 0.1)),
                new ParamGroup(List.of(plain), Map.of("weight_decay", 0.0))), 0.01, 0.9, 0.999, 1e-8, 0.05);
        decayed.setGrad(Tensor.zeros(3));
        plain.setGrad(Tensor.zeros(3));
        opt.step();
        // zero gradient: only the decoupled decay p·(1 - lr·wd) acts
        assertArrayEquals(new float[] {1f * 0.999f, -2f * 0.999f, 3f * 0.999f}, decayed.toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1f, -2f, 3f}, plain.toFloatArray(), 0f);
    }

    @Test
    void missingOptionsComeFromTheDefaults() {
        Adam opt = Adam.groups(List.of(new ParamGroup(List.of(param()), Map.of("lr", 1e-2)), new ParamGroup(List.of(param()))),
                1e-3, 0.8, 0.99, 1e-6, 0.01);
        assertEquals(1e-2, opt.paramGroups().get(0).lr());
        assertEquals(0.8, opt.paramGroups().get(0).get("beta1"));
        assertEquals(1e-3, opt.paramGroups().get(1).lr());
        assertEquals(0.01, opt.paramGroups().get(1).get("weight_decay"));
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.8, "beta2", 0.99, "eps", 1e-6, "weight_decay", 0.01), opt.defaults());
    }

    @Test
    void groupsMatchASingleListOptimizerWhenOptionsAgree() {
        Parameter a = param(), b = param();
        RMSprop grouped = RMSprop.groups(List.of(new ParamGroup(List.of(a))), 0.01, 0.9, 1e-8, 0.1, 0.5, true);
        RMSprop single = new RMSprop(List.of(b), 0.01, 0.9, 1e-8, 0.1, 0.5, true);
        for (int i = 0; i < 4; i++) {
            setGrad(a);
            setGrad(b);
            grouped.step();
            single.step();
        }
        assertArrayEquals(b.toFloatArray(), a.toFloatArray(), 0f);
    }

    @Test
    void misspelledGroupOptionIsRejectedWithTheOptionsListed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Adam.groups(
                List.of(new ParamGroup(List.of(param()), Map.of("weightDecay", 0.1)))));
        assertTrue(e.getMessage().contains("'weightDecay'") && e.getMessage().contains("weight_decay"), e.getMessage());
    }

    @Test
    void invalidGroupLrIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SGD.groups(
                List.of(new ParamGroup(List.of(param()), Map.of("lr", -1.0))), 0.1));
    }
}
