package dev.linea.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Optimizer#loadStateDict} checks a state dict completely before it changes anything: every buffer's
 * shape (0-D included), its values, the {@code step} count, the buffer and option names of the optimizer.
 */
class LoadStateDictTest {

    private static List<Parameter> params() {
        return List.of(new Parameter(Tensor.randn(new Generator(1), 3, 2)), new Parameter(Tensor.randn(new Generator(2), 2)));
    }

    /** A state dict of {@code make} after two steps, edited by {@code edit}. */
    private static OptimizerState trained(Function<List<Parameter>, Optimizer> make, Consumer<OptimizerState> edit) {
        List<Parameter> ps = params();
        Optimizer opt = make.apply(ps);
        for (int i = 0; i < 2; i++) {
            for (Parameter p : ps) {
                p.setGrad(Tensor.ones(p.shape()));
            }
            opt.step();
        }
        OptimizerState s = opt.stateDict();
        Map<Integer, Map<String, Tensor>> state = new LinkedHashMap<>();
        s.state().forEach((i, b) -> state.put(i, new LinkedHashMap<>(b)));
        List<Map<String, Object>> groups = s.paramGroups().stream().map(g -> (Map<String, Object>) new LinkedHashMap<>(g)).toList();
        OptimizerState copy = new OptimizerState(state, groups);
        edit.accept(copy);
        return copy;
    }

    private static final Function<List<Parameter>, Optimizer> ADAM = ps -> new Adam(ps, 0.01);
    private static final Function<List<Parameter>, Optimizer> SGD_MOMENTUM = ps -> new SGD(ps, 0.01, 0.9);
    private static final Function<List<Parameter>, Optimizer> RMSPROP = ps -> new RMSprop(ps, 0.01, 0.99, 1e-8, 0, 0.9, true);

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(ADAM, (Consumer<OptimizerState>) s -> s.state().get(0).put("exp_avg", Tensor.scalar(1)),
                        "loaded state 'exp_avg' of parameter 0 has shape [], the parameter has [3, 2]"),
                Arguments.of(ADAM, (Consumer<OptimizerState>) s -> s.state().get(1).put("exp_avg_sq", Tensor.zeros(1, 2)),
                        "loaded state 'exp_avg_sq' of parameter 1 has shape [1, 2], the parameter has [2]"),
                Arguments.of(SGD_MOMENTUM, (Consumer<OptimizerState>) s -> s.state().get(0).put("momentum_buffer", Tensor.scalar(0)),
                        "loaded state 'momentum_buffer' of parameter 0 has shape [], the parameter has [3, 2]"),
                Arguments.of(RMSPROP, (Consumer<OptimizerState>) s -> s.state().get(1).put("grad_avg", Tensor.zeros(3)),
                        "loaded state 'grad_avg' of parameter 1 has shape [3], the parameter has [2]"),
                Arguments.of(ADAM, (Consumer<OptimizerState>) s -> s.state().get(0).put("step", Tensor.scalar(-1)),
                        "loaded state 'step' of parameter 0 is -1.0, not a whole number of steps >= 0"),
                Arguments.of(ADAM, (Consumer<OptimizerState>) s -> s.state().get(0).put("step", Tensor.scalar(2.5f)),
                        "loaded state 'step' of parameter 0 is 2.5, not a whole number of steps >= 0"),
                Arguments.of(RMSPROP, (Consumer<OptimizerState>) s -> s.state().get(0).put("step", Tensor.scalar(Float.NaN)),
                        "loaded state 'step' of parameter 0 is NaN, not a whole number of steps >= 0"),
                Arguments.of(ADAM, (Consumer<OptimizerState>) s -> s.state().get(0).put("step", Tensor.scalar(Float.POSITIVE_INFINITY)),
                        "loaded state 'step' of parameter 0 is Infinity, not a whole number of steps >= 0"),
                Arguments.of(ADAM, (Consumer<OptimizerState>) s -> s.state().get(1).put("step", Tensor.ones(1)),
                        "loaded state 'step' of parameter 1 has shape [1], a step count is 0-D"),
                Arguments.of(ADAM, (Consumer<OptimizerState>) s -> s.state().get(0).remove("exp_avg_sq"),
                        "loaded state of parameter 0 lacks [exp_avg_sq] (it holds [exp_avg, step]; Adam keeps them together)"),
                Arguments.of(RMSPROP, (Consumer<OptimizerState>) s -> s.state().get(0).remove("momentum_buffer"),
                        "loaded state of parameter 0 lacks [momentum_buffer] (it holds [step, square_avg, grad_avg]; RMSprop keeps them together)"),
                Arguments.of(ADAM, (Consumer<OptimizerState>) s -> s.state().get(1).put("exp_avg",
                                Tensor.wrap(new float[] {1, Float.NaN}, 2)),
                        "loaded state 'exp_avg' of parameter 1 holds 1 non-finite value (first: NaN at flat index 1)"),
                Arguments.of(ADAM, (Consumer<OptimizerState>) s -> s.state().get(0).put("momentum_buffer", Tensor.zeros(3, 2)),
                        "loaded state of parameter 0 holds [momentum_buffer]; Adam keeps exp_avg, exp_avg_sq, max_exp_avg_sq, step"),
                Arguments.of(ADAM, (Consumer<OptimizerState>) s -> s.paramGroups().getFirst().put("beta1", 1.5),
                        "loaded parameter group 0: Invalid beta1 parameter: 1.5 (must be in [0.0, 1.0))"),
                Arguments.of(ADAM, (Consumer<OptimizerState>) s -> s.paramGroups().getFirst().put("lr", "fast"),
                        "loaded parameter group 0: option 'lr' is not a number: fast"),
                Arguments.of(ADAM, (Consumer<OptimizerState>) s -> s.state().put(7, Map.of()),
                        "loaded state refers to parameter 7, but there are 2"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("refused")
    void aDamagedStateIsRefusedWithOneLineAndChangesNothing(Function<List<Parameter>, Optimizer> make,
                                                           Consumer<OptimizerState> damage, String fault) {
        OptimizerState good = trained(make, s -> { });
        OptimizerState bad = trained(make, damage);
        Optimizer opt = make.apply(params());
        opt.loadStateDict(good);
        opt.paramGroups().getFirst().setLr(0.5); // a change the refused load must not undo
        var e = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(bad));
        assertEquals(fault, e.getMessage());
        assertEquals(0.5, opt.paramGroups().getFirst().lr());
        good.state().forEach((i, buffers) -> buffers.forEach((name, t) ->
                assertArrayEquals(t.toFloatArray(), opt.stateDict().state().get(i).get(name).toFloatArray(), i + "." + name)));
    }

    @Test
    void theStatesOfAnotherOptimizerAreRefusedWithBothNames() {
        var sgdIntoAdam = assertThrows(IllegalArgumentException.class,
                () -> ADAM.apply(params()).loadStateDict(trained(SGD_MOMENTUM, s -> { })));
        assertEquals("loaded parameter group 0 lacks Adam's options [beta1, beta2, eps] and has [dampening, momentum, "
                + "nesterov] (a state of SGD, not Adam)", sgdIntoAdam.getMessage());
        var adamIntoSgd = assertThrows(IllegalArgumentException.class,
                () -> SGD_MOMENTUM.apply(params()).loadStateDict(trained(ADAM, s -> { })));
        assertEquals("loaded parameter group 0 lacks SGD's options [momentum, dampening, nesterov] and has [amsgrad, beta1, "
                + "beta2, eps] (a state of Adam or AdamW, not SGD)", adamIntoSgd.getMessage());
        var rmsIntoAdam = assertThrows(IllegalArgumentException.class,
                () -> ADAM.apply(params()).loadStateDict(trained(RMSPROP, s -> { })));
        assertEquals("loaded parameter group 0 lacks Adam's options [beta1, beta2] and has [alpha, centered, momentum] "
                + "(a state of RMSprop, not Adam)", rmsIntoAdam.getMessage());
        // Buffers alone name their optimizer too (options made to fit).
        OptimizerState sgdBuffers = trained(SGD_MOMENTUM, s -> s.paramGroups().getFirst().putAll(Map.of("beta1", 0.9,
                "beta2", 0.999, "eps", 1e-8)));
        var buffers = assertThrows(IllegalArgumentException.class, () -> ADAM.apply(params()).loadStateDict(sgdBuffers));
        assertEquals("loaded state of parameter 0 holds [momentum_buffer] (a state of SGD, not Adam); Adam keeps exp_avg, "
                + "exp_avg_sq, max_exp_avg_sq, step", buffers.getMessage());
    }

    @Test
    void adamAndAdamWShareTheirStateAndPyTorchsBooleanOptionsLoad() {
        assertDoesNotThrow(() -> new AdamW(params()).loadStateDict(trained(ADAM, s -> { })));
        SGD sgd = new SGD(params(), 0.1, 0.5);
        sgd.loadStateDict(trained(ps -> new SGD(ps, 0.1, 0.9, 0, 0, true),
                s -> s.paramGroups().getFirst().put("nesterov", Boolean.TRUE)));
        assertEquals(1.0, sgd.paramGroups().getFirst().get("nesterov"));
        assertEquals(0.9, sgd.paramGroups().getFirst().get("momentum"));
    }
}
