package dev.linea.nn;

import dev.linea.autograd.GradMode;
import dev.linea.Tensor;
import dev.linea.golden.Golden;
import dev.linea.golden.Tolerance;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The convolutional layers against PyTorch 1.13 ({@code scripts/golden/conv.py} →
 * {@code golden/conv.txt}): forward outputs within 1e-5 and gradients within 1e-4, both relative to
 * {@code max(1, |expected|)}.
 */
class ConvGoldenTest {
    static final Tolerance FWD = Tolerance.relative(1e-5, 1e-5), GRAD = Tolerance.relative(1e-4, 1e-4);
    static final Golden G = Golden.load("conv.txt");

    /** Loads the case's parameters into {@code m}, runs forward and backward with its upstream gradient, compares. */
    static void check(String c, Module m) {
        try (var g = GradMode.noGrad()) {
            for (var p : m.namedParameters().entrySet()) {
                if (G.has(c + "." + p.getKey())) {
                    p.getValue().copy_(G.tensor(c + "." + p.getKey()));
                }
            }
        }
        m.zeroGrad();
        Tensor x = G.tensor(c + ".x").requiresGrad(true);
        Tensor y = m.forward(x);
        G.assertClose(c + ".y", y, FWD);
        y.backward(G.tensor(c + ".gy"));
        G.assertClose(c + ".gx", x.grad(), GRAD);
        for (var p : m.namedParameters().entrySet()) {
            if (G.has(c + ".g" + p.getKey())) {
                G.assertClose(c + ".g" + p.getKey(), p.getValue().grad(), GRAD);
            }
        }
    }

    @Test
    void conv2dPlain() {
        check("conv_a", new Conv2d(3, 4, 3));
    }

    @Test
    void conv2dStridePaddingDilationGroups() {
        check("conv_b", new Conv2d(4, 6, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 2}, new int[] {2, 1}, 2, true));
    }

    @Test
    void conv2dDepthwiseWithoutBias() {
        check("conv_c", new Conv2d(3, 3, 3, 2, 1, 1, 3, false));
    }

    @Test
    void conv2dStrideLargerThanKernel() {
        check("conv_d", new Conv2d(2, 3, 2, 3, 2, 2, 1, true));
    }

    @Test
    void conv2dDeepProductsPlainGroupedAndOneByOne() {
        check("conv_e", new Conv2d(8, 6, 3, 1, 1, 1, 1, true));
        check("conv_f", new Conv2d(16, 4, 3, 1, 0, 1, 2, true));
        check("conv_g", new Conv2d(64, 5, 1));
    }

    @Test
    void convTranspose2dWithOutputPaddingAndGroups() {
        check("convt_a", new ConvTranspose2d(4, 6, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1},
                new int[] {1, 1}, 2, true, new int[] {1, 1}));
    }

    @Test
    void convTranspose2dRectangularDilated() {
        check("convt_b", new ConvTranspose2d(3, 2, new int[] {2, 3}, new int[] {1, 2}, new int[] {0, 1},
                new int[] {0, 1}, 1, false, new int[] {2, 1}));
    }

    @Test
    void maxPoolTiesGoToFirstMaximum() {
        check("maxpool_a", new MaxPool2d(2));
        check("maxpool_b", new MaxPool2d(3, 2, 1, 2, true));
        check("maxpool_c", new MaxPool2d(new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 1}, new int[] {1, 1}, false));
    }

    @Test
    void avgPool() {
        check("avgpool_a", new AvgPool2d(2));
        check("avgpool_b", new AvgPool2d(3, 2, 1, true, false));
        check("avgpool_c", new AvgPool2d(new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, true, true));
    }

    @Test
    void adaptiveAvgPoolNonDivisibleSizesAndGlobal() {
        check("adaptive_a", new AdaptiveAvgPool2d(new int[] {3, 4}));
        check("adaptive_b", new AdaptiveAvgPool2d(5));
        check("adaptive_c", new AdaptiveAvgPool2d(new int[] {4, 3}));
        check("adaptive_d", new AdaptiveAvgPool2d(1)); // global: whole rows, one block per window
    }

    @Test
    void upsampleNearest() {
        check("upsample_a", new Upsample(2));
        check("upsample_b", new Upsample(1.5));
    }

    /** Train step (batch statistics, running stats after one step) then eval (running statistics). */
    static void checkBatchNorm(String c, BatchNorm bn) {
        bn.train();
        check(c, bn);
        if (!bn.trackRunningStats) {
            return;
        }
        G.assertClose(c + ".running_mean", bn.runningMean, FWD);
        G.assertClose(c + ".running_var", bn.runningVar, FWD);
        assertEquals((float) G.value(c + ".num_batches_tracked"), bn.numBatchesTracked.item());
        bn.eval();
        check(c + ".eval", bn);
        assertEquals(1f, bn.numBatchesTracked.item(), "eval must not count batches");
    }

    @Test
    void batchNorm2d() {
        checkBatchNorm("bn2d", new BatchNorm2d(3));
    }

    @Test
    void batchNorm2dWithPlanesReducedByTheVectorKernels() {
        checkBatchNorm("bn2d_wide", new BatchNorm2d(3));
    }

    @Test
    void batchNorm1d() {
        checkBatchNorm("bn1d_a", new BatchNorm1d(4));
        checkBatchNorm("bn1d_b", new BatchNorm1d(4, 1e-3, 0.2, true, true));
        checkBatchNorm("bn1d_c", new BatchNorm1d(3, 1e-5, 0.1, false, false));
    }
}
