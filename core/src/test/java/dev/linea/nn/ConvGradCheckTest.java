package dev.linea.nn;

import dev.linea.nn.functional.F;
import static dev.linea.GradTesting.check;
import static dev.linea.GradTesting.distinct;

import dev.linea.autograd.GradCheck;
import dev.linea.Generator;
import dev.linea.Tensor;
import org.junit.jupiter.api.Test;

/** Finite-difference gradient checks of every layer, with the tolerances of {@link #LAYERS}. */
class ConvGradCheckTest {
    /**
     * eps 1e-2, atol = rtol = 5e-3: convolutions sum many float32 products, so their finite differences are
     * noisier than those of single ops (whose tests use the gradcheck defaults).
     */
    static final GradCheck.Options LAYERS = GradCheck.Options.defaults().eps(1e-2).atol(5e-3).rtol(5e-3);

    private final Generator gen = new Generator(42);

    private Tensor randn(int... shape) {
        return Tensor.randn(gen, shape).requiresGrad(true);
    }

    private static int[] p(int a, int b) {
        return new int[] {a, b};
    }

    @Test
    void conv2d() {
        check("conv2d plain", LAYERS, in -> F.conv2d(in.get(0), in.get(1), in.get(2)),
                randn(2, 3, 5, 6), randn(4, 3, 3, 2), randn(4));
        check("conv2d stride/padding/dilation/groups", LAYERS,
                in -> F.conv2d(in.get(0), in.get(1), in.get(2), p(2, 1), p(1, 2), p(2, 1), 2),
                randn(2, 4, 7, 6), randn(6, 2, 2, 3), randn(6));
        check("conv2d 1x1 (direct path)", LAYERS, in -> F.conv2d(in.get(0), in.get(1), null),
                randn(2, 3, 4, 4), randn(5, 3, 1, 1));
        check("conv2d unbatched", LAYERS, in -> F.conv2d(in.get(0), in.get(1), in.get(2), 2, 1),
                randn(2, 5, 5), randn(3, 2, 3, 3), randn(3));
    }

    @Test
    void convTranspose2d() {
        check("conv_transpose2d", LAYERS, in -> F.convTranspose2d(in.get(0), in.get(1), in.get(2), p(2, 2), p(1, 0),
                p(1, 0), 1, p(1, 1)), randn(2, 3, 3, 4), randn(3, 2, 3, 3), randn(2));
        check("conv_transpose2d groups/dilation", LAYERS, in -> F.convTranspose2d(in.get(0), in.get(1), null, p(1, 2),
                p(0, 1), p(0, 1), 2, p(2, 1)), randn(1, 4, 3, 3), randn(4, 1, 2, 3));
    }

    @Test
    void pooling() {
        // Distinct values 0.05 apart, so ±eps never changes which element is a window's maximum.
        check("max_pool2d", LAYERS, in -> F.maxPool2d(in.get(0), 2), distinct(1, 0.05f, 2, 2, 6, 5));
        check("max_pool2d padding/dilation/ceil", LAYERS,
                in -> F.maxPool2d(in.get(0), p(3, 2), p(2, 1), p(1, 1), p(2, 1), true), distinct(2, 0.05f, 1, 2, 8, 7));
        check("avg_pool2d", LAYERS, in -> F.avgPool2d(in.get(0), p(3, 2), p(2, 2), p(1, 1), true, false),
                randn(2, 2, 7, 6));
        check("avg_pool2d include pad", LAYERS, in -> F.avgPool2d(in.get(0), p(2, 3), p(1, 2), p(1, 1), false, true),
                randn(1, 2, 5, 6));
        check("adaptive_avg_pool2d", LAYERS, in -> F.adaptiveAvgPool2d(in.get(0), p(3, 4)), randn(2, 2, 7, 5));
        check("upsample nearest", LAYERS, in -> F.upsampleNearest(in.get(0), 1.5), randn(1, 2, 3, 4));
    }

    @Test
    void batchNorm() {
        check("batch_norm train (N,C,H,W)", LAYERS,
                in -> F.batchNorm(in.get(0), null, null, in.get(1), in.get(2), true, 0.1, 1e-5),
                randn(3, 2, 3, 3), randn(2), randn(2));
        check("batch_norm train (N,C,H,W), planes reduced by the vector kernels", LAYERS,
                in -> F.batchNorm(in.get(0), null, null, in.get(1), in.get(2), true, 0.1, 1e-5),
                randn(2, 2, 6, 7), randn(2), randn(2));
        check("batch_norm train (N,C)", LAYERS,
                in -> F.batchNorm(in.get(0), null, null, in.get(1), in.get(2), true, 0.1, 1e-5),
                randn(6, 3), randn(3), randn(3));
        check("batch_norm train (N,C,L) no affine", LAYERS,
                in -> F.batchNorm(in.get(0), null, null, null, null, true, 0.1, 1e-5), randn(4, 2, 3));
        Tensor rm = Tensor.randn(gen, 2), rv = Tensor.rand(gen, 2).add(0.5f);
        check("batch_norm eval", LAYERS,
                in -> F.batchNorm(in.get(0), rm, rv, in.get(1), in.get(2), false, 0.1, 1e-5),
                randn(3, 2, 2, 2), randn(2), randn(2));
    }

    @Test
    void modulesEndToEnd() {
        dev.linea.Linea.manualSeed(5);
        Conv2d conv = new Conv2d(2, 4, 3, 1, 1);
        BatchNorm2d bn = new BatchNorm2d(4);
        ConvTranspose2d up = new ConvTranspose2d(4, 2, 2, 2, 0, 0);
        check("conv → bn → avgpool → convT", LAYERS, in -> up.forward(
                        F.avgPool2d(bn.forward(conv.forward(in.get(0))), 2)),
                randn(2, 2, 6, 6));
    }
}
