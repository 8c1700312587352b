package dev.linea.autograd;

import static dev.linea.GradTesting.check;
import static dev.linea.GradTesting.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Tensor;
import dev.linea.optim.Adam;
import dev.linea.optim.AdamW;
import dev.linea.optim.Optimizer;
import dev.linea.optim.RMSprop;
import dev.linea.optim.SGD;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * In-place ops on views (PyTorch's {@code CopySlices}), the version counter a view shares with its base,
 * and optimizer steps that bump it, against PyTorch 1.13's node names, messages and versions (values and
 * gradients of the view patterns are in {@code ViewsGoldenTest}).
 */
class ViewInPlaceAutogradTest {
    private static final String MODIFIED = "one of the variables needed for gradient computation has been modified by "
            + "an inplace operation: ";

    @Test
    void theBaseGetsCopySlicesAndTheViewAsStridedBackward() {
        // PyTorch: y = x*2; v = y[0]; v.mul_(3) -> y.grad_fn CopySlices, v.grad_fn AsStridedBackward0
        Tensor x = randn(1, 3, 4);
        Tensor y = x.mul(2f);
        Tensor v = y.select(0, 0);
        Tensor old = y.select(1, 1);
        v.mul_(3f);
        assertEquals("CopySlices", y.gradFnName());
        assertEquals("AsStridedBackward0", v.gradFnName());
        assertEquals("AsStridedBackward0", old.gradFnName(), "a view made before the change is re-derived");
        Tensor t = y.t();
        t.add_(Tensor.ones(4, 3));
        assertEquals("AsStridedBackward0", t.gradFnName());
        assertEquals("CopySlices", y.gradFnName());
    }

    @Test
    void inPlaceOpsAreNamedAsInPyTorch() {
        // PyTorch 1.13 names fill_(scalar) FillBackward2, and copy_ torch::autograd::CopyBackwards (namespace dropped,
        // as for CopySlices)
        Tensor x = randn(13, 2, 3);
        assertEquals("FillBackward2", x.mul(1f).fill_(1f).gradFnName());
        assertEquals("ZeroBackward0", x.mul(1f).zero_().gradFnName());
        assertEquals("CopyBackwards", Tensor.zeros(2, 3).copy_(x).gradFnName());
        assertEquals("MulBackward0", x.mul(1f).mul_(x).gradFnName());
        assertEquals("AddBackward0", x.mul(1f).add_(x, 2f).gradFnName());
        assertEquals("SubBackward0", x.mul(1f).sub_(x, 2f).gradFnName());
        assertEquals("DivBackward0", x.mul(1f).div_(x).gradFnName());
        assertEquals("DivBackward0", x.mul(1f).div_(2f).gradFnName());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.ofLongs(1, 2).div_(2f));
        assertTrue(e.getMessage().startsWith("result type Float can't be cast to the desired output type Long"),
                e.getMessage());
    }

    @Test
    void changingTheBaseReDerivesItsViews() {
        // PyTorch: z = x*1; zz = z[1]; z.mul_(2) -> zz.grad_fn AsStridedBackward0, z.grad_fn MulBackward0
        Tensor x = randn(2, 3, 4);
        Tensor z = x.mul(1f);
        Tensor zz = z.select(0, 1);
        z.mul_(2f);
        assertEquals("MulBackward0", z.gradFnName());
        assertEquals("AsStridedBackward0", zz.gradFnName());
        zz.sum().backward();
        assertArrayEquals(new float[] {0, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 0}, x.grad().toFloatArray());
    }

    @Test
    void copyingAGradientIntoAViewOfABufferMakesTheBufferRequireGrad() {
        // PyTorch: buf = zeros(4, 3); b0 = buf[0]; buf[1].copy_(w) -> buf and b0 require grad, grad reaches w
        Tensor w = Tensor.of(1f, 2f, 3f).requiresGrad(true);
        Tensor buf = Tensor.zeros(4, 3);
        Tensor b0 = buf.select(0, 0);
        Tensor b1 = buf.select(0, 1);
        assertFalse(b1.requiresGrad());
        b1.copy_(w);
        assertTrue(buf.requiresGrad());
        assertEquals("CopySlices", buf.gradFnName());
        assertEquals("AsStridedBackward0", b1.gradFnName());
        assertTrue(b0.requiresGrad());
        buf.mul(Tensor.arange(12).reshape(4, 3)).sum().backward();
        assertArrayEquals(new float[] {3f, 4f, 5f}, w.grad().toFloatArray());
    }

    @Test
    void viewsOfBuffersThatNeedNoGradStayPlain() {
        Tensor buf = Tensor.zeros(2, 3);
        buf.select(0, 1).fill_(2f);
        assertFalse(buf.requiresGrad());
        assertNull(buf.gradFnName());
        assertArrayEquals(new float[] {0, 0, 0, 2, 2, 2}, buf.toFloatArray());
    }

    @Test
    void twoInPlaceOpsOnOneTensorDoNotInvalidateTheFirst() {
        // PyTorch: y = x*2; y.mul_(w); y.add_(1); y.sum().backward() runs: mul_ saves w and a copy of y
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        Tensor w = Tensor.of(3f, 4f).requiresGrad(true);
        Tensor y = x.mul(2f);
        y.mul_(w);
        y.add_(Tensor.of(1f, 1f));
        y.sum().backward();
        assertArrayEquals(new float[] {6f, 8f}, x.grad().toFloatArray());
        assertArrayEquals(new float[] {2f, 4f}, w.grad().toFloatArray());
    }

    @Test
    void changingTheBaseAfterAViewWasSavedFailsBackward() {
        // PyTorch: p = x*1; q = p[0]; s = q*q; p.add_(1); s.sum().backward()
        Tensor x = randn(3, 3, 4);
        Tensor p = x.mul(1f);
        Tensor q = p.select(0, 0);
        Tensor s = q.mul(q);
        p.add_(Tensor.ones(3, 4));
        assertEquals(1, q.version());
        var e = assertThrows(IllegalStateException.class, () -> s.sum().backward());
        assertTrue(e.getMessage().startsWith(MODIFIED + "[torch.FloatTensor [4]], which is output 0 of "
                + "AsStridedBackward0, is at version 1; expected version 0 instead."), e.getMessage());
    }

    @Test
    void changingAViewAfterTheBaseWasSavedFailsBackward() {
        // PyTorch: p = x*1; q = p[0]; s = p*p; q.add_(1); s.sum().backward()
        Tensor x = randn(4, 3, 4);
        Tensor p = x.mul(1f);
        Tensor q = p.select(0, 0);
        Tensor s = p.mul(p);
        q.add_(Tensor.ones(4));
        assertEquals(1, p.version());
        var e = assertThrows(IllegalStateException.class, () -> s.sum().backward());
        assertTrue(e.getMessage().startsWith(MODIFIED + "[torch.FloatTensor [3, 4]], which is output 0 of "
                + "CopySlices, is at version 1; expected version 0 instead."), e.getMessage());
    }

    @Test
    void anOperandThatTheOpOverwritesFailsBackward() {
        // PyTorch: y = x*1; y.mul_(y) -> "... [3]], which is output 0 of MulBackward0, is at version 1; expected
        // version 0"; y[0].mul_(y[1]); y[1].mul_(y[0]) -> "[2]], which is output 0 of AsStridedBackward0, is at
        // version 2; expected version 1"
        Tensor x = randn(14, 3);
        Tensor y = x.mul(1f);
        y.mul_(y);
        var e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().startsWith(MODIFIED + "[torch.FloatTensor [3]], which is output 0 of MulBackward0, "
                + "is at version 1; expected version 0 instead."), e.getMessage());
        Tensor z = randn(15, 2, 2).mul(1f);
        z.select(0, 0).mul_(z.select(0, 1));
        z.select(0, 1).mul_(z.select(0, 0));
        var v = assertThrows(IllegalStateException.class, () -> z.sum().backward());
        assertTrue(v.getMessage().startsWith(MODIFIED + "[torch.FloatTensor [2]], which is output 0 of "
                + "AsStridedBackward0, is at version 2; expected version 1 instead."), v.getMessage());
    }

    @Test
    void viewsOfLeavesAndViewsMadeWithoutGradAreRefused() {
        Tensor x = randn(5, 3, 4);
        var leaf = assertThrows(IllegalStateException.class, () -> x.slice(1, 0, 2).t().mul_(2f));
        assertTrue(leaf.getMessage().startsWith("a view of a leaf Variable that requires grad is being used in an "
                + "in-place operation."), leaf.getMessage());
        Tensor p = x.mul(1f);
        Tensor q;
        try (var s = GradMode.noGrad()) {
            q = p.select(0, 0);
        }
        var noGrad = assertThrows(IllegalStateException.class, () -> q.mul_(2f));
        assertTrue(noGrad.getMessage().startsWith("A view was created in no_grad mode and is being modified inplace "
                + "with grad mode enabled."), noGrad.getMessage());
        try (var s = GradMode.noGrad()) {
            q.mul_(2f); // both in no-grad: not recorded, allowed
        }
        assertEquals("MulBackward0", p.gradFnName());
        Tensor r;
        try (var s = GradMode.noGrad()) {
            r = p.select(0, 1);
        }
        p.mul_(2f);
        var rebased = assertThrows(IllegalStateException.class, () -> r.mul(2f));
        assertTrue(rebased.getMessage().startsWith("A view was created in no_grad mode and its base or another view of "
                + "its base has been modified inplace with grad mode enabled."), rebased.getMessage());
    }

    @Test
    void writingThroughAnExpandedViewIsRefused() {
        Tensor p = randn(6, 1, 4).mul(1f);
        var e = assertThrows(IllegalStateException.class, () -> p.expand(3, 4).mul_(2f));
        assertTrue(e.getMessage().startsWith("unsupported operation: more than one element of the written-to tensor "
                + "refers to a single memory location. Please clone() the tensor before performing the operation."),
                e.getMessage());
    }

    @Test
    void anExpandedViewReadAfterItsBaseChangedSumsItsGradient() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        Tensor p = x.mul(1f).view(1, 2);
        Tensor e = p.expand(3, 2);
        p.mul_(2f);
        assertEquals("AsStridedBackward0", e.gradFnName());
        e.sum().backward();
        assertArrayEquals(new float[] {6f, 6f}, x.grad().toFloatArray());
    }

    @Test
    void viewPatternsPassGradcheck() {
        check(in -> {
            Tensor y = in.get(0).mul(in.get(0));
            y.slice(1, 1, 3).mul_(in.get(1));
            return y;
        }, randn(7, 3, 4), randn(8, 3, 2));
        check(in -> {
            Tensor y = in.get(0).mul(2f);
            Tensor a = y.select(0, 0);
            y.slice(0, 1, 3).t().select(0, 1).mul_(in.get(1));
            a.mul_(in.get(2));
            return y.mul(a);
        }, randn(9, 3, 4), randn(10, 2), randn(11, 4));
        check(in -> {
            Tensor y = in.get(0).mul(1f);
            y.sub_(in.get(1), 0.5f).div_(in.get(1).exp());
            y.select(0, 1).div_(in.get(1).select(0, 0).add(3f));
            return y;
        }, randn(16, 2, 3), randn(17, 2, 3));
        check(in -> {
            Tensor buf = Tensor.zeros(3, 2);
            buf.select(1, 0).copy_(in.get(0).tanh());
            return buf.mul(buf).add(buf);
        }, randn(12, 3));
    }

    @Test
    void optimizerStepsBumpTheVersionOfEachParameterTheyUpdate() {
        // PyTorch 1.13: one step bumps each updated parameter once (AdamW twice: the decay is its own mul_);
        // a parameter without a gradient is not touched
        stepBumps(p -> new SGD(List.of(p), 0.1, 0.9), 1);
        stepBumps(p -> new Adam(List.of(p), 0.1, 0.9, 0.999, 1e-8, 0.1, true), 1);
        stepBumps(p -> new AdamW(List.of(p)), 2);
        stepBumps(p -> new RMSprop(List.of(p), 0.1, 0.99, 1e-8, 0, 0.9, true), 1);
        Tensor idle = Tensor.of(1f, 2f).requiresGrad(true);
        new SGD(List.of(idle), 0.1).step();
        assertEquals(0, idle.version());
    }

    private static void stepBumps(Function<Tensor, Optimizer> make, int bumps) {
        Tensor w = Tensor.of(new float[] {1f, -2f, 3f, 0.5f, 1.5f, -1f}, 2, 3).requiresGrad(true);
        Tensor x = Tensor.of(new float[] {1f, 2f, 3f}, 3, 1);
        Optimizer opt = make.apply(w);
        Tensor loss = w.matmul(x).tanh().sum();
        loss.backward(null, true);
        int before = w.version();
        opt.step();
        assertEquals(before + bumps, w.version());
        var e = assertThrows(IllegalStateException.class, () -> loss.backward(null, true));
        assertTrue(e.getMessage().startsWith(MODIFIED + "[torch.FloatTensor [2, 3]] is at version " + (before + bumps)
                + "; expected version " + before + " instead."), e.getMessage());
    }
}
