package dev.linea.nn;

import dev.linea.nn.functional.F;

import dev.linea.Generator;
import dev.linea.Tensor;
import org.junit.jupiter.api.Test;

/** Finite-difference gradient checks of every layer (see {@link GradCheck} for ε and tolerances). */
class ConvGradCheckTest {
    private final Generator gen = new Generator(42);

    private Tensor randn(int... shape) {
        return Tensor.randn(gen, shape).requiresGrad(true);
    }

    private static int[] p(int a, int b) {
        return new int[] {a, b};
    }

    @Test
    void conv2d() {
        GradCheck.check("conv2d plain", in -> F.conv2d(in.get(0), in.get(1), in.get(2)),
                randn(2, 3, 5, 6), randn(4, 3, 3, 2), randn(4));
        GradCheck.check("conv2d stride/padding/dilation/groups",
                in -> F.conv2d(in.get(0), in.get(1), in.get(2), p(2, 1), p(1, 2), p(2, 1), 2),
                randn(2, 4, 7, 6), randn(6, 2, 2, 3), randn(6));
        GradCheck.check("conv2d 1x1 (direct path)", in -> F.conv2d(in.get(0), in.get(1), null),
                randn(2, 3, 4, 4), randn(5, 3, 1, 1));
        GradCheck.check("conv2d unbatched", in -> F.conv2d(in.get(0), in.get(1), in.get(2), 2, 1),
                randn(2, 5, 5), randn(3, 2, 3, 3), randn(3));
    }

    @Test
    void convTranspose2d() {
        GradCheck.check("conv_transpose2d", in -> F.convTranspose2d(in.get(0), in.get(1), in.get(2), p(2, 2), p(1, 0),
                p(1, 0), 1, p(1, 1)), randn(2, 3, 3, 4), randn(3, 2, 3, 3), randn(2));
        GradCheck.check("conv_transpose2d groups/dilation", in -> F.convTranspose2d(in.get(0), in.get(1), null, p(1, 2),
                p(0, 1), p(0, 1), 2, p(2, 1)), randn(1, 4, 3, 3), randn(4, 1, 2, 3));
    }

    /** Distinct values at least 0.05 apart, shuffled, so ±ε never changes which element is a window's maximum. */
    private Tensor distinct(int... shape) {
        int n = Tensor.zeros(shape).numel();
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(gen.nextInt()));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = order.get(i) * 0.05f - n * 0.025f;
        }
        return Tensor.wrap(v, shape).requiresGrad(true);
    }

    @Test
    void pooling() {
        GradCheck.check("max_pool2d", in -> F.maxPool2d(in.get(0), 2), distinct(2, 2, 6, 5));
        GradCheck.check("max_pool2d padding/dilation/ceil",
                in -> F.maxPool2d(in.get(0), p(3, 2), p(2, 1), p(1, 1), p(2, 1), true), distinct(1, 2, 8, 7));
        GradCheck.check("avg_pool2d", in -> F.avgPool2d(in.get(0), p(3, 2), p(2, 2), p(1, 1), true, false),
                randn(2, 2, 7, 6));
        GradCheck.check("avg_pool2d include pad", in -> F.avgPool2d(in.get(0), p(2, 3), p(1, 2), p(1, 1), false, true),
                randn(1, 2, 5, 6));
        GradCheck.check("adaptive_avg_pool2d", in -> F.adaptiveAvgPool2d(in.get(0), p(3, 4)), randn(2, 2, 7, 5));
        GradCheck.check("upsample nearest", in -> F.upsampleNearest(in.get(0), 1.5), randn(1, 2, 3, 4));
    }

    @Test
    void batchNorm() {
        GradCheck.check("batch_norm train (N,C,H,W)",
                in -> F.batchNorm(in.get(0), null, null, in.get(1), in.get(2), true, 0.1, 1e-5),
                randn(3, 2, 3, 3), randn(2), randn(2));
        GradCheck.check("batch_norm train (N,C,H,W), planes reduced by the vector kernels",
                in -> F.batchNorm(in.get(0), null, null, in.get(1), in.get(2), true, 0.1, 1e-5),
                randn(2, 2, 6, 7), randn(2), randn(2));
        GradCheck.check("batch_norm train (N,C)",
                in -> F.batchNorm(in.get(0), null, null, in.get(1), in.get(2), true, 0.1, 1e-5),
                randn(6, 3), randn(3), randn(3));
        GradCheck.check("batch_norm train (N,C,L) no affine",
                in -> F.batchNorm(in.get(0), null, null, null, null, true, 0.1, 1e-5), randn(4, 2, 3));
        Tensor rm = Tensor.randn(gen, 2), rv = Tensor.rand(gen, 2).add(0.5f);
        GradCheck.check("batch_norm eval",
                in -> F.batchNorm(in.get(0), rm, rv, in.get(1), in.get(2), false, 0.1, 1e-5),
                randn(3, 2, 2, 2), randn(2), randn(2));
    }

    @Test
    void modulesEndToEnd() {
        dev.linea.Linea.manualSeed(5);
        Conv2d conv = new Conv2d(2, 4, 3, 1, 1);
        BatchNorm2d bn = new BatchNorm2d(4);
        ConvTranspose2d up = new ConvTranspose2d(4, 2, 2, 2, 0, 0);
        GradCheck.check("conv → bn → avgpool → convT", in -> up.forward(
                        F.avgPool2d(bn.forward(conv.forward(in.get(0))), 2)),
                randn(2, 2, 6, 6));
    }
}
