package dev.linea.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {
    private static final byte[] PIXELS = {0, (byte) 255, 51, (byte) 204, 102, 1};

    private static GrayImage image() {
        return new GrayImage(PIXELS, 0, 2, 3);
    }

    @Test
    void toTensorScalesBytesToUnitInterval() {
        Tensor t = new ToTensor().apply(image());
        assertArrayEquals(new int[] {1, 2, 3}, t.shape());
        assertArrayEquals(new float[] {0f, 1f, 0.2f, 0.8f, 0.4f, 1 / 255f}, t.toFloatArray(), 1e-7f);
        assertEquals(204, image().pixel(1, 0));
    }

    @Test
    void normalizeStandardisesEachChannel() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, 2, 2, 2);
        Tensor y = new Normalize(new float[] {1, 10}, new float[] {2, 10}).apply(x);
        assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 0, 1, 2, 3}, y.toFloatArray());
        Tensor one = new Normalize(0.5f, 0.25f).apply(Tensor.of(new float[] {0, 1, 0.5f, 0.75f}, 1, 1, 2, 2));
        assertArrayEquals(new float[] {-2, 2, 0, 1}, one.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0}, new float[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0, 0}, new float[] {1}));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1}).apply(x));
        assertTrue(e.getMessage().contains("3 channel means"), e.getMessage());
    }

    @Test
    void composeRunsStepsInOrderAndFlattens() {
        Transform<GrayImage, Tensor> t = new ToTensor().andThen(new Normalize(0.5f, 0.5f)).andThen(x -> x.mul(2f));
        assertEquals(3, ((Compose<?, ?>) t).steps().size());
        assertFalse(t.pointwise(), "a lambda is not declared pointwise");
        assertTrue(new ToTensor().andThen(new Normalize(0.5f, 0.5f)).pointwise());
        float[] v = t.apply(image()).toFloatArray();
        assertEquals(-2f, v[0], 1e-6f); // (0 - 0.5) / 0.5 * 2
        assertEquals(2f, v[1], 1e-6f);
        assertTrue(t.toString().startsWith("Compose(ToTensor(), Normalize("), t.toString());
    }

    @Test
    void sampleDatasetShapesLabelsAndClassNames() throws Exception {
        ImageDataset ds = FashionMNIST.sample(Split.TRAIN);
        assertEquals(5000, ds.size());
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                "Bag", "Ankle boot"), ds.classNames());
        assertEquals(ds.classNames(), FashionMNIST.classNames());
        assertEquals(10, MNIST.classNames().size());
        Example e = ds.get(17);
        assertArrayEquals(new int[] {1, 28, 28}, e.input().shape());
        assertArrayEquals(new int[0], e.target().shape());
        assertEquals(ds.label(17), (int) e.target().item());
        assertEquals(ds.imageSet().pixel(17, 14, 9) / 255f, e.input().get(0, 14, 9));
        float[] v = e.input().toFloatArray();
        for (float f : v) {
            assertTrue(f >= 0 && f <= 1);
        }
    }

    @Test
    void batchFastPathEqualsPerImageTransformBitForBit() throws Exception {
        for (Transform<GrayImage, Tensor> t : List.of(new ToTensor(), FashionMNIST.normalized())) {
            ImageDataset ds = FashionMNIST.sample(Split.TEST, t);
            int[] idx = {999, 0, 500, 3};
            Batch b = ds.batch(idx);
            assertArrayEquals(new int[] {4, 1, 28, 28}, b.inputs().shape());
            float[] x = b.inputs().toFloatArray();
            for (int k = 0; k < idx.length; k++) {
                float[] one = ds.get(idx[k]).input().toFloatArray();
                for (int j = 0; j < 784; j++) {
                    assertEquals(Float.floatToRawIntBits(one[j]), Float.floatToRawIntBits(x[k * 784 + j]));
                }
                assertEquals(ds.label(idx[k]), (int) b.targets().get(k));
            }
        }
    }

    @Test
    void nonPointwiseTransformFallsBackToPerImage() throws Exception {
        ImageDataset ds = FashionMNIST.sample(Split.TEST, new ToTensor().andThen(x -> x.mul(3f)));
        Batch b = ds.batch(new int[] {4, 2});
        assertArrayEquals(new int[] {2, 1, 28, 28}, b.inputs().shape());
        assertArrayEquals(ds.get(2).input().toFloatArray(),
                java.util.Arrays.copyOfRange(b.inputs().toFloatArray(), 784, 1568));
    }

    @Test
    void toTensorsHoldsTheWholeSet() throws Exception {
        Batch all = FashionMNIST.sample(Split.TEST).toTensors();
        assertArrayEquals(new int[] {1000, 1, 28, 28}, all.inputs().shape());
        assertArrayEquals(new int[] {1000}, all.targets().shape());
        float mean = all.inputs().mean().item();
        assertEquals(FashionMNIST.MEAN, mean, 0.02f); // the sample is close to the full set's statistics
        Batch norm = FashionMNIST.sample(Split.TEST, FashionMNIST.normalized()).toTensors();
        assertEquals(0f, norm.inputs().mean().item(), 0.06f);
        assertEquals(1f, (float) Math.sqrt(norm.inputs().flatten().var(0, false, false).item()), 0.1f);
    }
}
