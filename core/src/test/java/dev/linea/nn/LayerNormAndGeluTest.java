package dev.linea.nn;

import static dev.linea.GradTesting.check;
import static dev.linea.GradTesting.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;
import org.junit.jupiter.api.Test;

/** LayerNorm and GELU(approximate="tanh"): gradchecks, printing and PyTorch's errors. */
class LayerNormAndGeluTest {
    @Test
    void passGradcheck() {
        check(in -> F.layerNorm(in.get(0), new int[] {5}, in.get(1), in.get(2), 1e-5), randn(1, 3, 5), randn(2, 5),
                randn(3, 5));
        check(in -> F.layerNorm(in.get(0), new int[] {2, 3}, null, null, 1e-5), randn(4, 2, 2, 3));
        check(in -> F.gelu(in.get(0), "tanh"), randn(5, 4, 3));
        check(in -> new LayerNorm(4).forward(in.get(0)), randn(6, 2, 4));
    }

    @Test
    void printsAndRefusesAsPyTorch() {
        assertEquals("LayerNorm((4,), eps=1e-05, elementwise_affine=True)", new LayerNorm(4).toString());
        assertEquals("LayerNorm((2, 3), eps=1e-05, elementwise_affine=False)",
                new LayerNorm(new int[] {2, 3}, 1e-5, false).toString());
        assertEquals(java.util.List.of("weight", "bias"), java.util.List.copyOf(new LayerNorm(4).stateDict().keySet()));
        assertEquals("Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 3]",
                assertThrows(IllegalArgumentException.class, () -> new LayerNorm(4).forward(Tensor.zeros(2, 3))).getMessage());
        assertEquals("GELU(approximate='tanh')", new GELU("tanh").toString());
        assertEquals("approximate argument must be either none or tanh.",
                assertThrows(IllegalArgumentException.class, () -> new GELU("fast")).getMessage());
        assertEquals("GeluBackward0", F.gelu(Tensor.zeros(2).requiresGrad(true), "tanh").gradFnName());
    }
}
