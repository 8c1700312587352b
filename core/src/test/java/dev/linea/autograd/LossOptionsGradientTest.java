package dev.linea.autograd;

import static dev.linea.GradTesting.check;
import static dev.linea.GradTesting.randn;
import static dev.linea.GradTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Tensor;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.HuberLoss;
import dev.linea.nn.KLDivLoss;
import dev.linea.nn.L1Loss;
import dev.linea.nn.NLLLoss;
import dev.linea.nn.SmoothL1Loss;
import dev.linea.nn.functional.F;
import dev.linea.nn.functional.Reduction;
import org.junit.jupiter.api.Test;

/** Gradient checks and PyTorch's argument errors for the loss options of issue 11. */
class LossOptionsGradientTest {
    private static final Tensor W = Tensor.of(0.5f, 1f, 2f, 3f);
    private static final Tensor IGNORED = Tensor.ofLongs(2, -100, 3, -100, 0);

    @Test
    void classLossOptionsPassGradcheck() {
        for (Reduction r : Reduction.values()) {
            check(in -> new CrossEntropyLoss(W, -100, r, 0f).forward(in.get(0), IGNORED), randn(1, 5, 4));
            check(in -> new CrossEntropyLoss(W, -100, r, 0.2f).forward(in.get(0), IGNORED), randn(2, 5, 4));
            check(in -> new NLLLoss(W, 3, r).forward(in.get(0), Tensor.ofLongs(2, 3, 3, 1, 0)), randn(3, 5, 4));
            Tensor nd = Tensor.ofLongs(new long[] {0, 1, 2, 2, 1, -100, 0, 1}, 2, 2, 2);
            check(in -> new CrossEntropyLoss(Tensor.of(1f, 2f, 0.5f), -100, r, 0.1f).forward(in.get(0), nd),
                    randn(4, 2, 3, 2, 2));
            // Soft targets: the gradient reaches the target probabilities too.
            check(in -> new CrossEntropyLoss(W, -100, r, 0.1f).forward(in.get(0), in.get(1)), randn(5, 3, 4),
                    uniform(6, 0.1f, 1f, 3, 4));
        }
    }

    @Test
    void elementwiseLossesPassGradcheck() {
        // Inputs away from the kinks (d = 0, |d| = β, |d| = δ).
        Tensor a = uniform(7, 2f, 3f, 3, 4), b = uniform(8, -1f, 1f, 3, 4);
        for (Reduction r : Reduction.values()) {
            check(in -> new L1Loss(r).forward(in.get(0), in.get(1)), a, b);
            check(in -> new SmoothL1Loss(r, 5f).forward(in.get(0), in.get(1)), a, b);
            check(in -> new SmoothL1Loss(r, 0.5f).forward(in.get(0), in.get(1)), a, b);
            check(in -> new HuberLoss(r, 0.8f).forward(in.get(0), in.get(1)), a, b);
            check(in -> new HuberLoss(r, 6f).forward(in.get(0), in.get(1)), a, b);
        }
        for (String red : new String[] {"none", "mean", "sum", "batchmean"}) {
            check(in -> new KLDivLoss(red, false).forward(in.get(0), in.get(1)), randn(9, 3, 4), uniform(10, 0.1f, 1f, 3, 4));
            check(in -> new KLDivLoss(red, true).forward(in.get(0), in.get(1)), randn(11, 3, 4), randn(12, 3, 4));
        }
        check(in -> F.mseLoss(in.get(0), in.get(1)), randn(13, 2, 3), randn(14, 3));
    }

    @Test
    void badArgumentsGetPyTorchsErrors() {
        Tensor logits = Tensor.zeros(5, 4);
        var w = assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss(Tensor.ones(2), -100, Reduction.MEAN, 0f).forward(logits, IGNORED));
        assertEquals("weight tensor should be defined either for all 4 classes or no classes but got weight tensor of "
                + "shape: [2]", w.getMessage());
        var oob = assertThrows(IndexOutOfBoundsException.class,
                () -> new NLLLoss(null, 3, Reduction.MEAN).forward(logits, IGNORED));
        assertEquals("Target -100 is out of bounds.", oob.getMessage());
        var size = assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss().forward(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 5).toLong()));
        assertEquals("Expected target size [2, 4], got [2, 5]", size.getMessage());
        var batch = assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss().forward(Tensor.zeros(2, 3), Tensor.zeros(3).toLong()));
        assertEquals("Expected input batch_size (2) to match target batch_size (3).", batch.getMessage());
        var soft = assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss(null, 1, Reduction.MEAN, 0f).forward(Tensor.zeros(2, 3), Tensor.zeros(2, 3)));
        assertEquals("ignore_index is not supported for floating point target", soft.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SmoothL1Loss(Reduction.MEAN, -1f));
        assertThrows(IllegalArgumentException.class, () -> new HuberLoss(Reduction.MEAN, 0f));
        var red = assertThrows(IllegalArgumentException.class, () -> new KLDivLoss("avg", false));
        assertEquals("avg is not a valid value for reduction", red.getMessage());
    }

    @Test
    void allTargetsIgnoredGivesNaNForTheMeanAndZeroForTheSum() {
        Tensor t = Tensor.ofLongs(-100, -100);
        assertTrue(Float.isNaN(new CrossEntropyLoss().forward(Tensor.zeros(2, 3), t).item()));
        assertEquals(0f, new CrossEntropyLoss(Reduction.SUM).forward(Tensor.zeros(2, 3), t).item());
    }
}
