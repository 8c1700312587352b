package dev.linea.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.autograd.GradMode;
import dev.linea.Tensor;
import org.junit.jupiter.api.Test;

/** Behaviour of the backward engine: accumulation, shared subexpressions, detach, no-grad, errors. */
class EngineTest {

    private static Tensor leaf(float... v) {
        return Tensor.of(v).requiresGrad(true);
    }

    @Test
    void gradientsAccumulateAcrossTwoBackwardCalls() {
        Tensor x = leaf(1f, 2f, 3f);
        x.mul(2f).sum().backward();
        x.mul(x).sum().backward();
        assertArrayEquals(new float[] {4f, 6f, 8f}, x.grad().toFloatArray());
    }

    @Test
    void aTensorUsedTwiceGetsTheSumOfBothPaths() {
        Tensor x = leaf(1f, 2f, 3f);
        Tensor y = x.mul(3f);
        y.mul(y).add(y).sum().backward(); // d/dx (9x² + 3x) = 18x + 3
        assertArrayEquals(new float[] {21f, 39f, 57f}, x.grad().toFloatArray());
    }

    @Test
    void diamondGraphAccumulatesOnce() {
        Tensor x = leaf(2f);
        Tensor a = x.mul(2f), b = x.exp();
        a.mul(b).sum().backward(); // d/dx 2x·e^x = 2e^x + 2x·e^x
        assertEquals(2 * Math.exp(2) + 4 * Math.exp(2), x.grad().item(), 1e-4);
    }

    @Test
    void detachStopsGradients() {
        Tensor x = leaf(1f, 2f);
        x.mul(x.detach()).sum().backward();
        assertArrayEquals(new float[] {1f, 2f}, x.grad().toFloatArray());
        assertFalse(x.detach().requiresGrad());
        assertTrue(x.detach().isLeaf());
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = leaf(1f, 2f);
        Tensor y;
        try (var g = GradMode.noGrad()) {
            y = x.mul(2f).exp().sum();
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
        assertFalse(y.requiresGrad());
        assertNull(y.gradFnName());
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void enableGradInsideNoGradRecordsAgain() {
        Tensor x = leaf(1f);
        try (var g = GradMode.noGrad(); var h = GradMode.enableGrad()) {
            assertTrue(x.mul(2f).requiresGrad());
        }
    }

    @Test
    void backwardTwiceThroughAFreedGraphThrowsAClearMessage() {
        Tensor x = leaf(1f, 2f);
        Tensor loss = x.mul(x).sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void backwardTwiceWorksWithRetainGraph() {
        Tensor x = leaf(1f, 2f);
        Tensor loss = x.mul(x).sum();
        loss.backward(Tensor.scalar(1f), true);
        loss.backward(Tensor.scalar(1f), true);
        loss.backward();
        assertArrayEquals(new float[] {6f, 12f}, x.grad().toFloatArray());
    }

    @Test
    void backwardOnANonScalarWithoutAGradientThrows() {
        Tensor y = leaf(1f, 2f).mul(2f);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("scalar outputs"), e.getMessage());
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void backwardWithAGradientOfTheWrongShapeThrows() {
        Tensor y = leaf(1f, 2f).mul(2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(3)));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void backwardOnANonScalarWithAGradientWeightsTheOutputs() {
        Tensor x = leaf(1f, 2f);
        x.mul(x).backward(Tensor.of(1f, 10f));
        assertArrayEquals(new float[] {2f, 40f}, x.grad().toFloatArray());
    }

    @Test
    void inPlaceOnALeafThatRequiresGradThrows() {
        Tensor x = leaf(1f, 2f);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.add_(Tensor.ones(2)));
        assertTrue(e.getMessage().contains("in-place"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> x.mul_(2f));
        assertThrows(IllegalStateException.class, () -> x.zero_());
        assertThrows(IllegalStateException.class, () -> x.copy_(Tensor.ones(2)));
        try (var g = GradMode.noGrad()) {
            x.mul_(2f);
        }
        assertArrayEquals(new float[] {2f, 4f}, x.toFloatArray());
    }

    @Test
    void leavesNotRequiringGradGetNoGradient() {
        Tensor x = leaf(1f, 2f);
        Tensor c = Tensor.of(3f, 4f);
        x.mul(c).sum().backward();
        assertNull(c.grad());
        assertArrayEquals(new float[] {3f, 4f}, x.grad().toFloatArray());
    }

    @Test
    void intermediateResultsKeepNoGradient() {
        Tensor x = leaf(1f, 2f);
        Tensor y = x.mul(2f);
        y.sum().backward();
        assertNull(y.grad());
        assertFalse(y.isLeaf());
    }

    @Test
    void gradientIsIndependentOfTheOutputGradientTensor() {
        Tensor x = leaf(1f, 2f);
        Tensor g = Tensor.of(1f, 1f);
        x.mul(1f).backward(g);
        x.mul(1f).backward(g);
        assertArrayEquals(new float[] {1f, 1f}, g.toFloatArray());
        assertArrayEquals(new float[] {2f, 2f}, x.grad().toFloatArray());
    }

    @Test
    void gradientOfAViewOfALeafReachesTheLeafWithItsShape() {
        Tensor x = Tensor.arange(0f, 6, 1f).view(2, 3).detach().requiresGrad(true);
        x.t().slice(0, 1, 3).sum().backward();
        assertArrayEquals(new int[] {2, 3}, x.grad().shape());
        assertArrayEquals(new float[] {0, 1, 1, 0, 1, 1}, x.grad().toFloatArray());
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor x = leaf(1f);
        Tensor y = x;
        for (int i = 0; i < 20000; i++) {
            y = y.add(0f);
        }
        y.sum().backward();
        assertEquals(1f, x.grad().item());
    }
}
