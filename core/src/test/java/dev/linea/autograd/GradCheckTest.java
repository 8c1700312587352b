package dev.linea.autograd;

import static dev.linea.GradTesting.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.autograd.Autograd;
import dev.linea.autograd.GradCheck;
import dev.linea.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GradCheck itself: it passes correct rules and catches wrong ones, naming the worst element. */
class GradCheckTest {

    /** x² with a deliberately wrong backward (3x instead of 2x) for element 2 only. */
    private static Tensor brokenSquare(Tensor x) {
        Tensor out = Tensor.wrap(x.detach().mul(x.detach()).toFloatArray(), x.shape());
        return Autograd.record("BrokenBackward", out, g -> {
            float[] v = x.detach().mul(2f).toFloatArray();
            v[2] = v[2] * 1.5f;
            return new Tensor[] {g.mul(Tensor.wrap(v, x.shape()))};
        }, x);
    }

    @Test
    void passesACorrectGradient() {
        GradCheck.Result r = GradCheck.gradcheck(in -> in.get(0).mul(in.get(0)).sum(), randn(1, 2, 3));
        assertTrue(r.passed(), r.message());
        assertEquals(6, r.elementsChecked());
    }

    @Test
    void catchesAWrongGradientAndNamesTheElement() {
        Tensor x = Tensor.of(1f, 2f, 3f, 4f).requiresGrad(true);
        for (boolean full : new boolean[] {false, true}) {
            GradCheck.Failure f = assertThrows(GradCheck.Failure.class, () -> GradCheck.gradcheck(
                    in -> brokenSquare(in.get(0)), List.of(x), GradCheck.Options.defaults().fullJacobian(full)));
            assertEquals(0, f.result().inputIndex());
            assertEquals(2, f.result().elementIndex());
            assertTrue(f.getMessage().contains("input 0, element 2"), f.getMessage());
            if (full) {
                assertEquals(2, f.result().outputIndex());
                assertEquals(9.0, f.result().analytic(), 1e-5);
                assertEquals(6.0, f.result().numeric(), 1e-3);
            }
        }
    }

    @Test
    void catchesAGradientGivenToAnInputThatDoesNotRequireGrad() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        Tensor c = Tensor.of(3f, 4f);
        GradCheck.Result r = GradCheck.check(in -> {
            Tensor out = in.get(0).mul(in.get(1));
            c.setGrad(Tensor.ones(2)); // a buggy op that writes into a constant's gradient
            return out;
        }, List.of(x, c), GradCheck.Options.defaults());
        assertFalse(r.passed());
        assertTrue(r.message().contains("input 1 does not require grad"), r.message());
    }

    @Test
    void restoresGradientsThatWereThereBefore() {
        Tensor x = randn(2, 3);
        Tensor before = Tensor.ones(3);
        x.setGrad(before);
        GradCheck.gradcheck(in -> in.get(0).exp(), x);
        assertSame(before, x.grad());
    }

    @Test
    void rejectsAFunctionWhoseOutputDoesNotDependOnTheInputs() {
        Tensor x = randn(3, 2);
        GradCheck.Result r = GradCheck.check(in -> Tensor.ones(2), List.of(x), GradCheck.Options.defaults());
        assertFalse(r.passed());
        assertThrows(IllegalArgumentException.class, () -> GradCheck.gradcheck(in -> in.get(0), Tensor.ones(2)));
    }

    @Test
    void checksNonContiguousInputsElementByElement() {
        Tensor base = randn(4, 3, 4).detach();
        Tensor x = base.t().requiresGrad(true); // a leaf view (4, 3) with strides (1, 4)
        assertTrue(GradCheck.gradcheck(in -> in.get(0).matmul(Tensor.ones(3, 2)).tanh(), x).passed());
    }
}
