package dev.linea;

import dev.linea.autograd.GradMode;
import dev.linea.internal.TensorAccess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Linear;
import dev.linea.nn.ReLU;
import dev.linea.nn.Sequential;
import dev.linea.optim.Adam;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tensor creation, random reproducibility, storage sharing of views, and error messages. */
class TensorBehaviourTest {

    @Test
    void zerosOnesAndFullHaveTheRequestedShapeAndValue() {
        assertArrayEquals(new float[6], Tensor.zeros(2, 3).toFloatArray());
        assertArrayEquals(new int[] {2, 3}, Tensor.ones(2, 3).shape());
        assertArrayEquals(new float[] {1, 1, 1}, Tensor.ones(3).toFloatArray());
        assertArrayEquals(new float[] {2.5f, 2.5f}, Tensor.full(new int[] {1, 2}, 2.5f).toFloatArray());
        assertEquals(0, Tensor.zeros(0, 4).numel());
        assertEquals(0, Tensor.scalar(3f).dim());
        assertEquals(3f, Tensor.scalar(3f).item());
    }

    @Test
    void arangeCountsUpOrDownAndExcludesTheEnd() {
        assertArrayEquals(new float[] {0, 1, 2, 3}, Tensor.arange(0f, 4, 1f).toFloatArray());
        assertArrayEquals(new float[] {1, 1.5f, 2, 2.5f}, Tensor.arange(1, 3, 0.5f).toFloatArray());
        assertArrayEquals(new float[] {3, 2, 1}, Tensor.arange(3, 0, -1).toFloatArray());
        assertEquals(0, Tensor.arange(2, 1, 1).numel());
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0));
    }

    @Test
    void randIsInTheUnitIntervalAndRandnIsStandardNormal() {
        Linea.manualSeed(1);
        float[] u = Tensor.rand(10000).toFloatArray();
        double mean = 0;
        for (float v : u) {
            assertTrue(v >= 0 && v < 1, "rand value " + v);
            mean += v / u.length;
        }
        assertEquals(0.5, mean, 0.02);
        float[] n = Tensor.randn(20000).toFloatArray();
        double m = 0, sq = 0;
        for (float v : n) {
            m += v / n.length;
            sq += (double) v * v / n.length;
        }
        assertEquals(0, m, 0.03);
        assertEquals(1, sq - m * m, 0.05);
    }

    @Test
    void randintStaysInItsHalfOpenRangeAndCoversIt() {
        Linea.manualSeed(2);
        float[] v = Tensor.randint(-2, 3, 5000).toFloatArray();
        boolean[] seen = new boolean[5];
        for (float x : v) {
            assertTrue(x >= -2 && x < 3 && x == Math.rint(x), "randint value " + x);
            seen[(int) x + 2] = true;
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
        assertThrows(IllegalArgumentException.class, () -> Tensor.randint(3, 3, 2));
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        Linea.manualSeed(42);
        float[] a = Tensor.randn(50).toFloatArray();
        float[] b = Tensor.rand(7).toFloatArray();
        Linea.manualSeed(42);
        assertArrayEquals(a, Tensor.randn(50).toFloatArray());
        assertArrayEquals(b, Tensor.rand(7).toFloatArray());
        Linea.manualSeed(43);
        assertFalse(java.util.Arrays.equals(a, Tensor.randn(50).toFloatArray()));
    }

    /** One seeded training step of a small MLP: the loss, the gradients and the updated weights. */
    private static float[][] seededTrainingStep(int threads) {
        int before = Linea.numThreads();
        Linea.setNumThreads(threads);
        try {
            Linea.manualSeed(7);
            // fc1 has 38,400 weights: more than one chunk of the Adam update, so it is split over threads.
            Sequential model = new Sequential(new Linear(64, 600), new ReLU(), new Linear(600, 10));
            Tensor x = Tensor.randn(256, 64);
            Tensor y = Tensor.randint(0, 10, 256);
            Tensor loss = new CrossEntropyLoss().forward(model.forward(x), y);
            loss.backward();
            List<? extends Tensor> params = model.parameters();
            float[] g0 = params.get(0).grad().toFloatArray();
            float[] g2 = params.get(2).grad().toFloatArray();
            new Adam(params, 0.01).step();
            return new float[][] {{loss.item()}, g0, g2, params.get(0).toFloatArray(), params.get(3).toFloatArray()};
        } finally {
            Linea.setNumThreads(before);
        }
    }

    @Test
    void aSeededForwardBackwardAndStepIsIdenticalOnOneAndTwoThreads() {
        float[][] one = seededTrainingStep(1);
        float[][] two = seededTrainingStep(2);
        for (int i = 0; i < one.length; i++) {
            assertArrayEquals(one[i], two[i], "result " + i + " differs between 1 and 2 threads");
        }
        assertArrayEquals(one[0], seededTrainingStep(1)[0]);
    }

    @Test
    void viewsShareStorageWithTheirBase() {
        Tensor base = Tensor.arange(0f, 12, 1f).view(3, 4).detach();
        Tensor[] views = {base.view(4, 3), base.transpose(0, 1), base.t(), base.permute(1, 0), base.slice(1, 0, 4, 2),
                base.select(0, 1), base.narrow(0, 1, 2), base.unsqueeze(0), base.reshape(12), base.flatten(),
                base.slice(0, 0, 1).expand(5, 4), base.view(3, 4, 1).squeeze()};
        for (Tensor v : views) {
            assertSame(TensorAccess.data(base), TensorAccess.data(v));
        }
        assertFalse(base.transpose(0, 1).isContiguous());
        try (var g = GradMode.noGrad()) {
            base.select(0, 1).fill_(-1f);
        }
        assertArrayEquals(new float[] {-1, -1, -1, -1}, base.transpose(0, 1).select(1, 1).toFloatArray());
        assertEquals(-1f, base.view(12).get(5));
    }

    @Test
    void cloneAndContiguousOfANonContiguousViewCopy() {
        Tensor base = Tensor.arange(0f, 6, 1f).view(2, 3).detach();
        assertNotSame(TensorAccess.data(base), TensorAccess.data(base.clone()));
        Tensor t = base.t();
        Tensor c = t.contiguous();
        assertTrue(c.isContiguous());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, c.toFloatArray());
        assertSame(base, base.contiguous());
        Tensor r = t.reshape(6);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, r.toFloatArray());
    }

    @Test
    void viewOfANonContiguousTensorNamesShapeAndStrides() {
        Tensor t = Tensor.zeros(2, 3).t();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.view(6));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("reshape"), e.getMessage());
    }

    @Test
    void badReshapeNamesTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(4, 2));
        assertTrue(e.getMessage().contains("[4, 2]") && e.getMessage().contains("6") && e.getMessage().contains("[2, 3]"),
                e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).view(-1, 4));
        assertTrue(e2.getMessage().contains("[-1, 4]"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(6).view(-1, -1));
    }

    @Test
    void matmulMismatchNamesBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 5]"), e.getMessage());
        assertTrue(e.getMessage().contains("2x3 and 4x5"), e.getMessage());
    }

    @Test
    void broadcastMismatchNamesBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 1, 4).mul(Tensor.zeros(2, 3)));
    }

    @Test
    void itemNeedsExactlyOneElement() {
        assertEquals(2f, Tensor.of(new float[] {2f}, 1, 1).item());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.zeros(2, 2).item());
        assertTrue(e.getMessage().contains("[2, 2]") && e.getMessage().contains("4 elements"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(0).item());
    }

    @Test
    void getChecksIndicesAndAcceptsNegativeOnes() {
        Tensor t = Tensor.arange(0f, 6, 1f).view(2, 3);
        assertEquals(5f, t.get(-1, -1));
        assertEquals(3f, t.get(1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
        assertThrows(IllegalArgumentException.class, () -> t.get(0));
    }

    @Test
    void dimensionOutOfRangeIsReported() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).sum(2, false));
        assertTrue(e.getMessage().contains("[-2, 1]"), e.getMessage());
    }

    @Test
    void catAndLinearReportMismatchedShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.cat(List.of(Tensor.zeros(2, 3), Tensor.zeros(3, 3)), 1));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 3]"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Tensor.linear(Tensor.zeros(4, 5), Tensor.zeros(2, 3), null));
        assertTrue(e2.getMessage().contains("[4, 5]") && e2.getMessage().contains("[2, 3]"), e2.getMessage());
    }

    @Test
    void setGradRejectsAGradientOfAnotherShape() {
        Tensor x = Tensor.zeros(2, 3).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> x.setGrad(Tensor.zeros(3, 2)));
        x.setGrad(Tensor.ones(2, 3));
        assertEquals(6f, x.grad().sum().item());
    }

    @Test
    void requiresGradFalseOnANonLeafIsRejected() {
        Tensor y = Tensor.ones(2).requiresGrad(true).mul(2f);
        assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
    }
}
