package dev.linea.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linea.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Tensor#registerPostAccumulateGradHook}: when it fires and what the gradient holds then. */
class PostAccumulateGradHookTest {

    @Test
    void firesOncePerBackwardWithTheGradientOfEveryUseSummed() {
        Tensor x = Tensor.of(1f, 2f, 3f).requiresGrad(true);
        List<float[]> seen = new ArrayList<>();
        x.registerPostAccumulateGradHook(t -> seen.add(t.grad().toFloatArray()));
        // x feeds three ops; the hook must see all three contributions, not the first one
        x.mul(2f).add(x.mul(x)).add(x.tanh()).sum().backward();
        assertEquals(1, seen.size());
        float[] expected = new float[3];
        for (int i = 0; i < 3; i++) {
            float v = i + 1f;
            expected[i] = 2f + 2f * v + (float) (1 - Math.tanh(v) * Math.tanh(v));
        }
        assertArrayEquals(expected, seen.get(0), 1e-6f);
        assertArrayEquals(x.grad().toFloatArray(), seen.get(0));
    }

    @Test
    void seesTheGradientAfterAccumulatingIntoAnEarlierOne() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        x.mul(2f).sum().backward();
        List<float[]> seen = new ArrayList<>();
        var handle = x.registerPostAccumulateGradHook(t -> seen.add(t.grad().toFloatArray()));
        x.mul(3f).sum().backward();
        assertArrayEquals(new float[] {5f, 5f}, seen.get(0));
        handle.remove();
        x.mul(3f).sum().backward();
        assertEquals(1, seen.size());
    }

    @Test
    void runsAfterTheGradientHooksAndIsSkippedForLeavesBackwardNeverReaches() {
        Tensor a = Tensor.of(1f).requiresGrad(true);
        Tensor unused = Tensor.of(1f).requiresGrad(true);
        List<String> calls = new ArrayList<>();
        a.registerHook(g -> {
            calls.add("hook " + g.item());
            return g.mul(10f);
        });
        a.registerPostAccumulateGradHook(t -> calls.add("post " + t.grad().item()));
        unused.registerPostAccumulateGradHook(t -> calls.add("unused"));
        a.mul(4f).sum().backward();
        assertEquals(List.of("hook 4.0", "post 40.0"), calls);
    }

    @Test
    void refusesNonLeavesAndTensorsWithoutGrad() {
        Tensor x = Tensor.of(1f).requiresGrad(true);
        var e = assertThrows(IllegalStateException.class, () -> x.mul(2f).registerPostAccumulateGradHook(t -> {}));
        assertEquals("post accumulate grad hooks cannot be registered on non-leaf tensors", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Tensor.zeros(1).registerPostAccumulateGradHook(t -> {}));
        assertEquals("cannot register a hook on a tensor that doesn't require gradient", e.getMessage());
    }
}
