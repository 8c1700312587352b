package dev.linea.nn.functional;

import static dev.linea.GradTesting.check;
import static dev.linea.GradTesting.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linea.Tensor;
import org.junit.jupiter.api.Test;

/** {@link F#lstmCell}: the unfused LSTM formulas' values, a gradcheck through all three inputs, shape errors. */
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
}
