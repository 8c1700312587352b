package dev.linea.nn;

import static dev.linea.GradTesting.check;
import static dev.linea.GradTesting.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Generator;
import dev.linea.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LSTM and GRU beyond the golden values: gradchecks, PyTorch's printing, errors, init, dropout, Sequential. */
class RecurrentLayersTest {

    @Test
    void lstmAndGruPassGradcheck() {
        LSTM lstm = Module.withGenerator(new Generator(1), () -> new LSTM(2, 3, 2, true, true, 0f, true));
        check(in -> lstm.forward(List.of(in.get(0), in.get(1), in.get(2))).get(0).sum()
                        .add(lstm.forward(List.of(in.get(0), in.get(1), in.get(2))).get(2).sum()),
                randn(2, 2, 3, 2), randn(3, 4, 2, 3), randn(4, 4, 2, 3));
        GRU gru = Module.withGenerator(new Generator(5), () -> new GRU(2, 3, 1, true, false, 0f, true));
        check(in -> gru.forward(List.of(in.get(0), in.get(1))).get(1), randn(6, 4, 2, 2), randn(7, 2, 2, 3));
        // Parameter gradients are compared with PyTorch's in RecurrentGoldenTest.
    }

    @Test
    void printsAsPyTorch() {
        assertEquals("LSTM(10, 20)", new LSTM(10, 20).toString());
        assertEquals("LSTM(10, 20, num_layers=2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)",
                new LSTM(10, 20, 2, false, true, 0.5f, true).toString());
        assertEquals("GRU(3, 4, num_layers=3)", new GRU(3, 4, 3, true, false, 0f, false).toString());
    }

    @Test
    void parametersHavePyTorchsNamesShapesAndInitRange() {
        LSTM m = new LSTM(3, 4, 2, true, false, 0f, true);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse",
                "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_ih_l1", "weight_hh_l1",
                "bias_ih_l1", "bias_hh_l1", "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse",
                "bias_hh_l1_reverse"), List.copyOf(m.stateDict().keySet()));
        assertArrayEquals(new int[] {16, 8}, m.weight("weight_ih_l1").shape());
        assertArrayEquals(new int[] {12, 4}, new GRU(4, 4).weight("weight_hh_l0").shape());
        for (Parameter p : m.parameters()) {
            for (float v : p.toFloatArray()) {
                assertTrue(Math.abs(v) <= 0.5f, "U(-1/sqrt(4), 1/sqrt(4))");
            }
        }
    }

    @Test
    void badInputsGetPyTorchsErrors() {
        LSTM m = new LSTM(3, 4, 2, true, false, 0f, false);
        assertEquals("input.size(-1) must be equal to input_size. Expected 3, got 5",
                assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(2, 1, 5))).getMessage());
        assertEquals("LSTM: Expected input to be 2-D or 3-D but received 4-D tensor",
                assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(2, 1, 1, 3))).getMessage());
        assertEquals("Expected hidden[0] size (2, 1, 4), got [1, 1, 4]", assertThrows(IllegalArgumentException.class,
                () -> m.forward(List.of(Tensor.zeros(2, 1, 3), Tensor.zeros(1, 1, 4), Tensor.zeros(2, 1, 4)))).getMessage());
        assertEquals("Expected hidden size (1, 3, 4), got [1, 2, 4]", assertThrows(IllegalArgumentException.class,
                () -> new GRU(3, 4).forward(List.of(Tensor.zeros(2, 3, 3), Tensor.zeros(1, 2, 4)))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GRU(3, 4, 2, true, false, 1.5f, false));
    }

    @Test
    void dropoutActsBetweenLayersOnlyWhenTraining() {
        LSTM m = Module.withGenerator(new Generator(3), () -> new LSTM(2, 3, 2, true, false, 0.5f, false));
        Tensor x = Tensor.randn(new Generator(4), 5, 2, 2);
        m.eval();
        float[] a = m.forward(x).toFloatArray(), b = m.forward(x).toFloatArray();
        assertArrayEquals(a, b, "eval: no dropout, deterministic");
        m.train();
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(m.forward(x).toFloatArray()));
    }

    @Test
    void lastInASequentialItReturnsOutputAndStates() {
        Sequential s = new Sequential(new Linear(2, 3), new GRU(3, 4));
        List<Tensor> out = s.forward(List.of(Tensor.zeros(5, 1, 2)));
        assertEquals(2, out.size());
        assertArrayEquals(new int[] {1, 1, 4}, out.get(1).shape());
        assertArrayEquals(new int[] {5, 1, 4}, s.forward(List.of(Tensor.zeros(5, 1, 2))).get(0).shape());
    }
}
