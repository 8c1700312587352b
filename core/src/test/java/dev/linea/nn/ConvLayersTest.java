package dev.linea.nn;

import dev.linea.nn.functional.F;

import dev.linea.Generator;
import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.backend.Parallel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shapes, printing, parameter counts, error messages, determinism across thread counts, train/eval behaviour. */
class ConvLayersTest {

    /** The CNN: Conv(1→32,3×3) ReLU MaxPool2 → Conv(32→64,3×3) ReLU MaxPool2 → Flatten → 1600→128 → 10. */
    static Sequential cnn() {
        return new Sequential(new Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(1600, 128), new ReLU(), new Linear(128, 10));
    }

    @Test
    void cnnShapesAndParameterCountMatchPyTorch() {
        Sequential m = cnn();
        Tensor y = m.forward(Tensor.randn(3, 1, 28, 28));
        assertArrayEquals(new int[] {3, 10}, y.shape());
        assertEquals((long) ConvGoldenTest.G.value("cnn.parameter_count"), m.parameterCount());
        assertEquals(225_034L, m.parameterCount());
        assertTrue(m.summary(1, 1, 28, 28).contains("Conv2d"));
    }

    @Test
    void printingMatchesPyTorch() {
        assertEquals("""
                Sequential(
                  (0): Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))
                  (1): ReLU()
                  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
                  (3): Conv2d(32, 64, kernel_size=(3, 3), stride=(1, 1))
                  (4): ReLU()
                  (5): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
                  (6): Flatten(start_dim=1, end_dim=-1)
                  (7): Linear(in_features=1600, out_features=128, bias=True)
                  (8): ReLU()
                  (9): Linear(in_features=128, out_features=10, bias=True)
                )""", cnn().toString());
        // Strings printed by PyTorch 1.13 for the same constructor arguments.
        assertEquals("Conv2d(3, 6, kernel_size=(3, 5), stride=(2, 2), padding=(1, 2), dilation=(2, 2), groups=3, bias=False)",
                new Conv2d(3, 6, new int[] {3, 5}, new int[] {2, 2}, new int[] {1, 2}, new int[] {2, 2}, 3, false).toString());
        assertEquals("BatchNorm2d(32, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
                new BatchNorm2d(32).toString());
        assertEquals("BatchNorm1d(4, eps=0.001, momentum=0.2, affine=False, track_running_stats=False)",
                new BatchNorm1d(4, 1e-3, 0.2, false, false).toString());
        assertEquals("AvgPool2d(kernel_size=2, stride=2, padding=0)", new AvgPool2d(2).toString());
        assertEquals("AvgPool2d(kernel_size=3, stride=2, padding=1)", new AvgPool2d(3, 2, 1, true, false).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=(5, 7))", new AdaptiveAvgPool2d(new int[] {5, 7}).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=5)", new AdaptiveAvgPool2d(5).toString());
        assertEquals("Dropout2d(p=0.25, inplace=False)", new Dropout2d(0.25f).toString());
        assertEquals("ConvTranspose2d(4, 6, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(2, 2), "
                        + "output_padding=(1, 1), groups=2, bias=False)",
                new ConvTranspose2d(4, 6, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 2, false,
                        new int[] {2, 2}).toString());
        assertEquals("Upsample(scale_factor=2.0, mode=nearest)", new Upsample(2).toString());
        assertEquals("Upsample(scale_factor=1.5, mode=nearest)", new Upsample(1.5).toString());
    }

    @Test
    void batchNormStateDictNamesMatchPyTorch() {
        Sequential m = new Sequential(new Conv2d(1, 3, 3), new BatchNorm2d(3));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked"), List.copyOf(m.stateDict().keySet()));
        assertEquals(0, m.stateDict().get("1.num_batches_tracked").dim());
        assertEquals(2 * 3 + 27 + 3, m.parameterCount());
    }

    @Test
    void defaultInitIsUniformWithinFanInBound() {
        Linea.manualSeed(1);
        Conv2d c = new Conv2d(4, 8, 3, 1, 0, 1, 2, true);
        assertArrayEquals(new int[] {8, 2, 3, 3}, c.weight.shape());
        double bound = 1 / Math.sqrt(2 * 9);
        for (float v : c.weight.toFloatArray()) {
            assertTrue(Math.abs(v) <= bound);
        }
        for (float v : c.bias.toFloatArray()) {
            assertTrue(Math.abs(v) <= bound);
        }
        assertTrue(c.weight.abs().max().item() > 0.8 * bound, "weights should spread over the bound");
        ConvTranspose2d t = new ConvTranspose2d(4, 6, 3);
        assertArrayEquals(new int[] {4, 6, 3, 3}, t.weight.shape());
        assertTrue(t.weight.abs().max().item() <= 1 / Math.sqrt(6 * 9));
    }

    @Test
    void outputSizesAndUnbatchedInput() {
        Conv2d c = new Conv2d(3, 5, new int[] {3, 2}, new int[] {2, 3}, new int[] {1, 0}, new int[] {1, 2}, 1, true);
        Tensor x = Tensor.randn(2, 3, 11, 13);
        // floor((11 + 2 − 2 − 1)/2) + 1 = 6; floor((13 − 2 − 1)/3) + 1 = 4
        assertArrayEquals(new int[] {2, 5, 6, 4}, c.forward(x).shape());
        Tensor single = c.forward(x.select(0, 1));
        assertArrayEquals(new int[] {5, 6, 4}, single.shape());
        assertArrayEquals(c.forward(x).select(0, 1).toFloatArray(), single.toFloatArray(), 0f);
        assertArrayEquals(new int[] {3, 4, 4}, new MaxPool2d(3, 3, 0, 1, true).forward(Tensor.randn(3, 10, 10)).shape());
        assertArrayEquals(new int[] {1, 2, 11, 9}, new ConvTranspose2d(3, 2, 3, 2, 1, 0).forward(Tensor.randn(1, 3, 6, 5)).shape());
    }

    @Test
    void errorsNameTheShapes() {
        Conv2d c = new Conv2d(3, 8, 3);
        var wrongChannels = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(2, 1, 8, 8)));
        assertTrue(wrongChannels.getMessage().contains("[2, 1, 8, 8]") && wrongChannels.getMessage().contains("3 channels"),
                wrongChannels.getMessage());
        var tooSmall = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(1, 3, 2, 5)));
        assertTrue(tooSmall.getMessage().contains("Kernel size") && tooSmall.getMessage().contains("[1, 3, 2, 5]"),
                tooSmall.getMessage());
        var rank = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(3, 8)));
        assertTrue(rank.getMessage().contains("[3, 8]"), rank.getMessage());
        var groups = assertThrows(IllegalArgumentException.class, () -> new Conv2d(6, 4, 3, 1, 0, 1, 4, true));
        assertTrue(groups.getMessage().contains("divisible by groups"), groups.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2, 1, false));
        assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(2, 2, new int[] {3, 3}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1}, 1, true, new int[] {1, 1}));
        var bn = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(4).forward(Tensor.zeros(2, 3, 4, 4)));
        assertTrue(bn.getMessage().contains("[2, 3, 4, 4]"), bn.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(1, 3)));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.zeros(3, 4, 4)));
    }

    /**
     * Conv2d forward and backward on an (8, 3, 12, 12) batch give the same bits with 1, 2 and 3 threads; so
     * does a batch of 40, where the weight gradient is reduced over chunks of 3 samples.
     */
    @Test
    void conv2dIsBitwiseIdenticalForAnyThreadCount() {
        for (int batch : new int[] {8, 40}) {
            checkThreadCounts(batch);
        }
    }

    private static void checkThreadCounts(int batch) {
        int saved = Parallel.numThreads();
        try {
            float[][] one = runConv(1, batch), two = runConv(2, batch), three = runConv(3, batch);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i], two[i], 0f, "result " + i + " differs between 1 and 2 threads");
                assertArrayEquals(one[i], three[i], 0f, "result " + i + " differs between 1 and 3 threads");
            }
        } finally {
            Parallel.setNumThreads(saved);
        }
    }

    private static float[][] runConv(int threads, int batch) {
        Parallel.setNumThreads(threads);
        Generator gen = new Generator(11);
        Tensor x = Tensor.randn(gen, batch, 3, 12, 12).requiresGrad(true);
        Tensor w = Tensor.randn(gen, 6, 3, 3, 3).requiresGrad(true);
        Tensor b = Tensor.randn(gen, 6).requiresGrad(true);
        Tensor w2 = Tensor.randn(gen, 4, 3, 3, 3).requiresGrad(true);
        Tensor y = F.conv2d(x, w, b, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1);
        Tensor y2 = F.conv2d(y, w2, null, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 2);
        Tensor pooled = F.maxPool2d(y2, 2);
        pooled.mul(Tensor.randn(gen, pooled.shape())).sum().backward();
        return new float[][] {y.toFloatArray(), y2.toFloatArray(), x.grad().toFloatArray(), w.grad().toFloatArray(),
                b.grad().toFloatArray(), w2.grad().toFloatArray()};
    }

    @Test
    void maxPoolPropagatesNaN() {
        Tensor x = Tensor.of(new float[] {1, Float.NaN, 3, 4, 5, 6, 7, 8}, 1, 1, 2, 4);
        float[] y = F.maxPool2d(x, 2).toFloatArray();
        assertTrue(Float.isNaN(y[0]));
        assertEquals(8f, y[1]);
    }

    @Test
    void dropout2dZeroesWholeChannels() {
        Linea.manualSeed(3);
        Dropout2d d = new Dropout2d(0.5f);
        Tensor y = d.forward(Tensor.ones(4, 8, 3, 3));
        int zeroed = 0;
        for (int n = 0; n < 4; n++) {
            for (int c = 0; c < 8; c++) {
                float[] plane = y.select(0, n).select(0, c).toFloatArray();
                for (float v : plane) {
                    assertEquals(plane[0], v, "channel (" + n + ", " + c + ") must be all kept or all dropped");
                }
                assertTrue(plane[0] == 0f || plane[0] == 2f);
                zeroed += plane[0] == 0f ? 1 : 0;
            }
        }
        assertTrue(zeroed > 4 && zeroed < 28, "about half the channels should be dropped, got " + zeroed);
        d.eval();
        Tensor x = Tensor.randn(2, 3, 4, 4);
        assertArrayEquals(x.toFloatArray(), d.forward(x).toFloatArray(), 0f);
    }

    @Test
    void batchNormWithoutMomentumUsesCumulativeAverage() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5, null, true, true);
        assertEquals("BatchNorm1d(2, eps=1e-05, momentum=None, affine=True, track_running_stats=True)", bn.toString());
        bn.forward(Tensor.of(new float[] {1, 10, 3, 30}, 2, 2));
        bn.forward(Tensor.of(new float[] {5, 0, 7, 0}, 2, 2));
        assertArrayEquals(new float[] {4, 10}, bn.runningMean.toFloatArray(), 1e-6f);
        assertEquals(2f, bn.numBatchesTracked.item());
    }
}
