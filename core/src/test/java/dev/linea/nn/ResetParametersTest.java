package dev.linea.nn;

import dev.linea.Linea;
import dev.linea.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layers' default initialisation (PyTorch's {@code reset_parameters}): the exact bits a seed gives, what
 * {@code resetParameters()} re-draws, and BatchNorm's reset of its affine parameters and running statistics.
 */
class ResetParametersTest {
    static final long SEED = 1234;

    /**
     * The first elements (as float bits) and a hash of all elements' bits, recorded from the layers before
     * they initialised through {@code nn.init} ({@code rand·2b − b} in float, weight then bias), so a seed keeps
     * giving the same weights as it always did.
     */
    @Test
    void aSeedGivesTheSameInitialWeightsAsBefore() {
        Linea.manualSeed(SEED);
        Linear fc = new Linear(5, 3);
        assertBits(fc.weight, 15, 2033063312, "0x1.fde6ap-4", "0x1.4417bp-4", "-0x1.ae0c1p-2", "-0x1.f3388p-4");
        assertBits(fc.bias, 3, 1985822567, "-0x1.3f7938p-3", "0x1.187448p-3", "0x1.7d762p-4");

        Linea.manualSeed(SEED);
        Linear noBias = new Linear(7, 2, false);
        assertBits(noBias.weight, 14, -2131113622, "0x1.aef1ep-4", "0x1.11e88p-4", "-0x1.6b74c6p-2", "-0x1.a5eb28p-4");

        Linea.manualSeed(SEED);
        Conv2d conv = new Conv2d(2, 4, 3);
        assertBits(conv.weight, 72, -2104424384, "0x1.0cbdc4p-4", "0x1.559f98p-5", "-0x1.c54f3ap-3", "-0x1.071cc8p-4");
        assertBits(conv.bias, 4, -1811587915, "0x1.6c5e06p-3", "0x1.f1a8dcp-4", "-0x1.daf11cp-3", "0x1.6ed9eep-3");

        Linea.manualSeed(SEED);
        Conv2d grouped = new Conv2d(4, 6, new int[] {3, 5}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 2, true);
        assertBits(grouped.weight, 180, 2124849141, "0x1.a0551p-5", "0x1.089edp-5", "-0x1.5f21ccp-3", "-0x1.979cbp-5");
        assertBits(grouped.bias, 6, 805343228, "-0x1.3c5666p-4", "-0x1.ff741p-6", "0x1.e8092p-4", "0x1.62568cp-3");

        Linea.manualSeed(SEED);
        ConvTranspose2d transposed = new ConvTranspose2d(4, 6, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1},
                new int[] {1, 1}, 2, true, new int[] {1, 1});
        assertBits(transposed.weight, 108, 1173055098, "0x1.b6da5p-5", "0x1.16ef38p-5", "-0x1.72202ap-3", "-0x1.ada928p-5");
        assertBits(transposed.bias, 6, -1241371629, "0x1.caa538p-5", "0x1.6edbb6p-3", "0x1.f983d4p-4", "0x1.a2e2bcp-4");
    }

    private static void assertBits(Tensor t, int numel, int hash, String... first) {
        float[] v = t.toFloatArray();
        assertEquals(numel, v.length);
        for (int i = 0; i < first.length; i++) {
            assertEquals(Float.floatToRawIntBits(Float.parseFloat(first[i])), Float.floatToRawIntBits(v[i]),
                    "element " + i + ": expected " + first[i] + ", got " + Float.toHexString(v[i]));
        }
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = Float.floatToRawIntBits(v[i]);
        }
        assertEquals(hash, Arrays.hashCode(bits), "hash of all " + numel + " elements' bits");
    }

    /**
     * {@code resetParameters()} is the constructor's initialisation: from the same seed it gives the same
     * bits; from where the generator stands it draws new values within the same bound 1/√fan_in.
     */
    @Test
    void resetParametersRedrawsWithinTheSameBounds() {
        check(() -> new Linear(20, 30), 1 / Math.sqrt(20));
        check(() -> new Conv2d(6, 8, new int[] {3, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 2, true),
                1 / Math.sqrt(3 * 3 * 2));
        check(() -> new ConvTranspose2d(4, 6, 3), 1 / Math.sqrt(6 * 3 * 3));
    }

    private static void check(java.util.function.Supplier<Module> make, double bound) {
        Linea.manualSeed(SEED);
        Module layer = make.get();
        float[] weight = param(layer, "weight"), bias = param(layer, "bias");

        Linea.manualSeed(SEED);
        reset(layer);
        assertArrayEquals(weight, param(layer, "weight"), 0f, layer + ": the same seed must give the same weight");
        assertArrayEquals(bias, param(layer, "bias"), 0f, layer + ": the same seed must give the same bias");

        reset(layer);
        float[] weight2 = param(layer, "weight"), bias2 = param(layer, "bias");
        assertFalse(Arrays.equals(weight, weight2), layer + ": the weight must be re-drawn");
        assertFalse(Arrays.equals(bias, bias2), layer + ": the bias must be re-drawn");
        for (float[] values : new float[][] {weight2, bias2}) {
            double max = 0;
            for (float v : values) {
                assertTrue(Math.abs(v) <= (float) bound, layer + ": " + v + " outside ±" + bound);
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max > 0.7 * bound, layer + ": values should spread over the bound, max |v| = " + max);
        }
        assertTrue(layer.parameters().stream().allMatch(p -> p.requiresGrad() && p.isLeaf()),
                layer + ": parameters stay trainable leaves");
    }

    private static void reset(Module layer) {
        switch (layer) {
            case Linear l -> l.resetParameters();
            case ConvNd c -> c.resetParameters();
            default -> throw new AssertionError(layer);
        }
    }

    private static float[] param(Module layer, String name) {
        return layer.namedParameters().get(name).toFloatArray();
    }

    /**
     * As PyTorch's {@code _NormBase}: {@code reset_running_stats} zeroes running_mean and num_batches_tracked
     * and fills running_var with 1, leaving the affine parameters; {@code reset_parameters} does that and sets
     * weight to 1 and bias to 0.
     */
    @Test
    void batchNormResetRestoresOnesZerosAndFreshRunningStats() {
        BatchNorm2d bn = new BatchNorm2d(3);
        assertArrayEquals(new float[] {1, 1, 1}, bn.weight.toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, bn.bias.toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, bn.runningMean.toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, bn.runningVar.toFloatArray());
        assertEquals(0f, bn.numBatchesTracked.item());

        Linea.manualSeed(SEED);
        bn.forward(Tensor.randn(4, 3, 2, 2).mul(3).add(5));
        bn.forward(Tensor.randn(4, 3, 2, 2).mul(3).add(5));
        try (var g = dev.linea.autograd.GradMode.noGrad()) {
            bn.weight.copy_(Tensor.of(new float[] {2, 3, 4}, 3));
            bn.bias.copy_(Tensor.of(new float[] {-1, -2, -3}, 3));
        }
        assertEquals(2f, bn.numBatchesTracked.item());
        assertTrue(bn.runningMean.toFloatArray()[0] > 0.5f && bn.runningVar.toFloatArray()[0] > 1.5f,
                "two training steps should move the running statistics");

        bn.resetRunningStats();
        assertArrayEquals(new float[] {0, 0, 0}, bn.runningMean.toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, bn.runningVar.toFloatArray());
        assertEquals(0f, bn.numBatchesTracked.item());
        assertArrayEquals(new float[] {2, 3, 4}, bn.weight.toFloatArray(), "resetRunningStats leaves the weight");
        assertArrayEquals(new float[] {-1, -2, -3}, bn.bias.toFloatArray(), "resetRunningStats leaves the bias");

        bn.forward(Tensor.randn(4, 3, 2, 2).mul(3).add(5));
        bn.resetParameters();
        assertArrayEquals(new float[] {1, 1, 1}, bn.weight.toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, bn.bias.toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, bn.runningMean.toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, bn.runningVar.toFloatArray());
        assertEquals(0f, bn.numBatchesTracked.item());
        assertTrue(bn.weight.requiresGrad() && bn.weight.isLeaf(), "the weight stays a trainable leaf");

        BatchNorm1d plain = new BatchNorm1d(2, 1e-5, 0.1, false, false);
        plain.resetParameters();
        assertNull(plain.weight);
        assertNull(plain.runningMean);
    }
}
