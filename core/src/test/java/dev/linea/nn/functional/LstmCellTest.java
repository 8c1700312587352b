package dev.linea.nn.functional;

import static dev.linea.GradTesting.check;
import static dev.linea.GradTesting.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link F#lstmCell}: the unfused LSTM formulas' values, a gradcheck through all three inputs, shape errors;
 * {@link F#lstmRecurrence}: the step-by-step composition's values and gradients, over retained graphs too,
 * a gradcheck through the output and both final states.
 */
class LstmCellTest {

    /** The LSTM step as plain Tensor ops (what LSTM.step did before it was fused). */
    private static Tensor[] unfused(Tensor xw, Tensor hw, Tensor cx) {
        int h = cx.size(1);
        Tensor z = xw.add(hw);
        Tensor i = z.narrow(1, 0, h).sigmoid(), f = z.narrow(1, h, h).sigmoid();
        Tensor g = z.narrow(1, 2 * h, h).tanh(), o = z.narrow(1, 3 * h, h).sigmoid();
        Tensor c = f.mul(cx).add(i.mul(g));
        return new Tensor[] {o.mul(c.tanh()), c};
    }

    @Test
    void givesTheUnfusedCompositionsValuesBitForBit() {
        Tensor xw = randn(1, 4, 4 * 19).mul(3), hw = randn(2, 4, 4 * 19).mul(3), cx = randn(3, 4, 19);
        Tensor[] fused = F.lstmCell(xw, hw, cx), plain = unfused(xw, hw, cx);
        assertArrayEquals(plain[0].toFloatArray(), fused[0].toFloatArray(), "h'");
        assertArrayEquals(plain[1].toFloatArray(), fused[1].toFloatArray(), "c'");
        assertArrayEquals(new int[] {4, 19}, fused[0].shape());
    }

    @Test
    void passesGradcheckThroughBothOutputs() {
        check(in -> {
            Tensor[] hc = F.lstmCell(in.get(0), in.get(1), in.get(2));
            return hc[0].mul(hc[0]).sum().add(hc[1].sum().mul(0.7f));
        }, randn(4, 3, 4 * 5), randn(5, 3, 4 * 5), randn(6, 3, 5));
    }

    @Test
    void wrongShapesAreRefusedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.lstmCell(Tensor.zeros(2, 12), Tensor.zeros(2, 12), Tensor.zeros(2, 4)));
        assertEquals("lstm_cell: expected input_gates and hidden_gates of shape (N, 4H) and cx of shape (N, H), got "
                + "input_gates [2, 12], hidden_gates [2, 12], cx [2, 4]", e.getMessage());
    }

    /** Per step through {@link F#lstmCell}, slicing xw as the unfused layer did: the reference for lstmRecurrence. */
    private static Tensor stepwise(Tensor xw, Tensor h, Tensor c, Tensor w, Tensor b, boolean reverse) {
        int steps = xw.size(0);
        Tensor[] hs = new Tensor[steps];
        for (int k = 0; k < steps; k++) {
            int t = reverse ? steps - 1 - k : k;
            Tensor[] hc = F.lstmCell(xw.select(0, t), F.linear(h, w, b), c);
            h = hc[0];
            c = hc[1];
            hs[t] = h;
        }
        return Tensor.stack(java.util.Arrays.asList(hs), 0).mul(Tensor.stack(java.util.Arrays.asList(hs), 0)).sum()
                .add(c.sum());
    }

    @Test
    void recurrenceGivesTheStepwiseValuesAndGradientsAlsoWhenRunTwice() {
        for (boolean reverse : new boolean[] {false, true}) {
            Tensor[][] grads = new Tensor[2][];
            for (int way = 0; way < 2; way++) {
                Tensor xw = randn(7, 5, 2, 12).requiresGrad(true), h0 = randn(8, 2, 3).requiresGrad(true);
                Tensor c0 = randn(9, 2, 3).requiresGrad(true), w = randn(10, 12, 3).requiresGrad(true);
                Tensor b = randn(11, 12).requiresGrad(true);
                Tensor loss;
                if (way == 0) {
                    loss = stepwise(xw, h0, c0, w, b, reverse);
                } else {
                    Tensor[] r = F.lstmRecurrence(xw, h0, c0, w, b, reverse);
                    loss = r[0].mul(r[0]).sum().add(r[2].sum());
                }
                // Twice over a retained graph: the second pass must collect a fresh buffer, not reuse the first.
                loss.backward(null, true);
                loss.backward(null, false);
                grads[way] = new Tensor[] {loss, xw.grad(), h0.grad(), c0.grad(), w.grad(), b.grad()};
            }
            String[] names = {"loss", "xw", "h0", "c0", "weight_hh", "bias_hh"};
            for (int i = 0; i < names.length; i++) {
                float[] want = grads[0][i].toFloatArray(), got = grads[1][i].toFloatArray();
                for (int j = 0; j < want.length; j++) {
                    assertEquals(want[j], got[j], 1e-5f + 1e-5f * Math.abs(want[j]), names[i] + " at " + j
                            + (reverse ? " (reverse)" : ""));
                }
            }
        }
    }

    @Test
    void recurrencePassesGradcheckThroughOutputAndFinalStatesInBothDirections() {
        for (boolean reverse : new boolean[] {false, true}) {
            check(in -> {
                Tensor[] r = F.lstmRecurrence(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4), reverse);
                return r[0].mul(r[0]).sum().add(r[1].sum().mul(0.3f)).add(r[2].mul(r[2]).sum().mul(0.7f));
            }, randn(20, 4, 3, 8), randn(21, 3, 2), randn(22, 3, 2), randn(23, 8, 2), randn(24, 8));
        }
    }

    @Test
    void anEmptySequenceIsRefusedAsPyTorchDoes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.lstmRecurrence(
                Tensor.zeros(0, 2, 8), Tensor.zeros(2, 2), Tensor.zeros(2, 2), Tensor.zeros(8, 2), null, false));
        assertEquals("Expected sequence length to be larger than 0 in RNN", e.getMessage());
    }

    @Test
    void recurrenceGivesZeroGradientToStepsTheLossDoesNotReach() {
        Tensor xw = randn(12, 4, 2, 8).requiresGrad(true);
        Tensor[] r = F.lstmRecurrence(xw, Tensor.zeros(2, 2), Tensor.zeros(2, 2), randn(13, 8, 2), null, false);
        r[0].select(0, 1).sum().backward();
        float[] g = xw.grad().toFloatArray();
        for (int j = 2 * 2 * 8; j < g.length; j++) {
            assertTrue(g[j] == 0f, "step " + j / 16 + " comes after the loss's last step, got " + g[j]); // ±0
        }
        assertTrue(java.util.stream.IntStream.range(0, 32).anyMatch(j -> g[j] != 0f), "steps 0 and 1 get a gradient");
    }
}
