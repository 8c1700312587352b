package dev.linea.onnx;

import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.models.CNN;
import dev.linea.models.FCNN;
import dev.linea.nn.AdaptiveAvgPool2d;
import dev.linea.nn.AvgPool2d;
import dev.linea.nn.BatchNorm1d;
import dev.linea.nn.BatchNorm2d;
import dev.linea.nn.Conv2d;
import dev.linea.nn.ConvTranspose2d;
import dev.linea.nn.Dropout;
import dev.linea.nn.Dropout2d;
import dev.linea.nn.Flatten;
import dev.linea.nn.GELU;
import dev.linea.nn.LeakyReLU;
import dev.linea.nn.Linear;
import dev.linea.nn.LogSoftmax;
import dev.linea.nn.MaxPool2d;
import dev.linea.nn.Module;
import dev.linea.nn.ReLU;
import dev.linea.nn.Sequential;
import dev.linea.nn.Sigmoid;
import dev.linea.nn.Tanh;
import dev.linea.nn.Upsample;
import dev.linea.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Every model Linea exports runs in onnxruntime and gives Linea's own outputs (1e-5 abs / 1e-4 rel), at batch
 * 1 and batch 8 although it was traced at batch 3: the batch dimension is dynamic.
 */
class OnnxExportRuntimeTest {
    private static final int TRACED_BATCH = 3;

    /** Exports {@code model} traced on a batch of 3, then checks onnxruntime against Linea at batches 1 and 8. */
    private static void check(Module model, int... sampleShape) throws Exception {
        Generator gen = new Generator(7);
        byte[] bytes = OnnxCodec.encode(Onnx.exportModel(model, Tensor.randn(gen, shape(TRACED_BATCH, sampleShape)), Map.of()));
        model.eval();
        for (int batch : new int[] {1, 8}) {
            Tensor x = Tensor.randn(gen, shape(batch, sampleShape));
            Tensor expected;
            try (var g = GradMode.noGrad()) {
                expected = model.forward(x);
            }
            OrtOracle.assertClose(expected, OrtOracle.run(bytes, x), model.getClass().getSimpleName() + " at batch " + batch);
        }
    }

    private static int[] shape(int batch, int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = batch;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }

    private static <M extends Module> M seeded(Supplier<M> build) {
        return Module.withGenerator(new Generator(42), build);
    }

    /** Running statistics away from their (0, 1) start, so that the export of BatchNorm's eval form matters. */
    private static void trainStatistics(Module model, int... sampleShape) {
        model.train();
        try (var g = GradMode.noGrad()) {
            for (int i = 0; i < 3; i++) {
                model.forward(Tensor.randn(new Generator(100 + i), shape(16, sampleShape)).mul(2f).add(0.5f));
            }
        }
    }

    @Test
    void fcnnWithDropoutRunsInOnnxRuntimeAsInLinea() throws Exception {
        check(seeded(() -> new FCNN(0.2f)), 1, 28, 28);
    }

    @Test
    void fcnnEndingInSoftmaxRunsInOnnxRuntimeAsInLinea() throws Exception {
        check(seeded(() -> new FCNN() {
            @Override
            public Tensor forward(Tensor x) {
                return super.forward(x).softmax(1);
            }
        }), 784);
    }

    @Test
    void cnnRunsInOnnxRuntimeAsInLinea() throws Exception {
        check(seeded(() -> new CNN(0.3f)), 1, 28, 28);
    }

    @Test
    void cnnWithBatchNormAndDropoutInEvalRunsInOnnxRuntimeAsInLinea() throws Exception {
        Module net = seeded(() -> new Sequential(
                new Conv2d(1, 8, 3, 1, 1), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2), new Dropout2d(0.25f),
                new Conv2d(8, 16, 3), new BatchNorm2d(16), new ReLU(), new AvgPool2d(2), new Flatten(),
                new Linear(16 * 6 * 6, 32), new BatchNorm1d(32), new ReLU(), new Dropout(0.5f), new Linear(32, 10),
                new LogSoftmax(1)));
        trainStatistics(net, 1, 28, 28);
        check(net, 1, 28, 28);
    }

    @Test
    void ganStyleGeneratorAndDiscriminatorRunInOnnxRuntimeAsInLinea() throws Exception {
        // the layers of examples' Gan.Generator and Gan.Discriminator (that module's own test exports the originals)
        check(seeded(() -> new Sequential(new Linear(64, 256), new LeakyReLU(0.2f), new Linear(256, 784), new Tanh())), 64);
        check(seeded(() -> new Sequential(new Linear(784, 128), new LeakyReLU(0.2f), new Dropout(0.3f), new Linear(128, 1))), 784);
    }

    @Test
    void convolutionTransposedConvolutionAndUpsamplingRunInOnnxRuntimeAsInLinea() throws Exception {
        check(seeded(() -> new Sequential(
                new Conv2d(3, 8, 3, 2, 1), new GELU(), new ConvTranspose2d(8, 4, 3, 2, 1, 1), new LeakyReLU(0.1f),
                new Upsample(2), new Conv2d(4, 2, 3, 1, 1), new Sigmoid(), new AdaptiveAvgPool2d(4))), 3, 10, 10);
    }

    /** The layers' options as ONNX attributes: groups, dilation, padding, ceil mode, count_include_pad, affine=false. */
    @Test
    void layerOptionsRunInOnnxRuntimeAsInLinea() throws Exception {
        check(seeded(() -> new Sequential(
                new Conv2d(4, 6, new int[] {3, 2}, new int[] {2, 1}, new int[] {2, 1}, new int[] {2, 1}, 2, true),
                new BatchNorm2d(6, 1e-3, 0.1, false, true), new ReLU(),
                new ConvTranspose2d(6, 4, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 0}, new int[] {1, 0}, 2, false,
                        new int[] {2, 1}),
                new MaxPool2d(new int[] {3, 2}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 2}, false),
                new AvgPool2d(new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 1}, false, false))), 4, 11, 9);
    }

    /**
     * Pools in ceil mode, with the edge case where the last window would start in the right padding (PyTorch
     * drops it: 5 rows, kernel 2, stride 2, padding 1 give 3 rows, not 4).
     */
    @Test
    void poolsInCeilModeRunInOnnxRuntimeAsInLinea() throws Exception {
        check(new MaxPool2d(new int[] {3, 2}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, true), 2, 10, 9);
        check(new MaxPool2d(new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, true), 2, 5, 5);
        check(new AvgPool2d(new int[] {3, 2}, new int[] {2, 2}, new int[] {1, 1}, true, true), 2, 10, 9);
        check(new AvgPool2d(new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1}, true, true), 2, 5, 5);
        check(new AvgPool2d(new int[] {2, 3}, new int[] {2, 2}, new int[] {1, 0}, true, false), 2, 5, 9);
    }

    /** Forward code of Tensor ops, not layers: views, transposes, arithmetic with scalars and tensors, reductions. */
    @Test
    void arbitraryForwardCodeRunsInOnnxRuntimeAsInLinea() throws Exception {
        check(seeded(() -> new Module() {
            final Linear fc = new Linear(12, 6);
            final Linear gate = new Linear(12, 6, false);

            @Override
            public Tensor forward(Tensor x) {
                Tensor h = x.view(-1, 12);                                   // (N, 3, 4) → (N, 12)
                Tensor a = fc.forward(h).mul(2f).sub(0.5f);
                Tensor b = F.sigmoid(gate.forward(h.neg().exp().add(1f).log()));
                Tensor y = a.mul(b).add(a.div(b.add(1f))).clamp(-3f, 3f);
                Tensor t = y.unsqueeze(2).transpose(1, 2).squeeze(1);        // round trip through a view
                Tensor m = t.mean(new int[] {1}, true);
                return Tensor.cat(java.util.List.of(t.sub(m), t.pow(2f).sum(new int[] {1}, true).sqrt()), 1)
                        .abs().rsub(1f).tanh().logSoftmax(1);
            }
        }), 3, 4);
    }
}
