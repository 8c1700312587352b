package dev.linea.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.data.ImageFormatException;
import dev.linea.io.Checkpoints;
import dev.linea.io.SafeTensorsException;
import dev.linea.models.CNN;
import dev.linea.models.FCNN;
import dev.linea.models.ModelCard;
import dev.linea.models.Models;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;
import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictorTest {
    static final float MEAN = 0.2860f, STD = 0.3530f;
    static final List<String> NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot");

    @TempDir
    Path dir;

    static ModelCard card(String model, boolean invert) {
        return ModelCard.of(model, Map.of(), new int[] {1, 28, 28}, ModelCard.Preprocessing.normalize(MEAN, STD, invert),
                NAMES);
    }

    static Predictor fcnn(long seed) {
        Linea.manualSeed(seed);
        return new Predictor(new FCNN(0.3f), card("fcnn", true));
    }

    static float[] randomInput(Random r) {
        float[] v = new float[784];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }

    /** What a user would write by hand: normalise, forward without grad, softmax. */
    static float[] direct(Module model, float[] values) {
        float[] x = new float[values.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (values[i] - MEAN) / STD;
        }
        model.eval();
        try (var g = GradMode.noGrad()) {
            return model.forward(Tensor.wrap(x, 1, 1, 28, 28)).softmax(1).toFloatArray();
        }
    }

    @Test
    void labelsAndProbabilitiesAreThoseOfADirectForward() {
        Predictor p = fcnn(3);
        float[] v = randomInput(new Random(1));
        float[] expected = direct(p.model(), v);
        List<Prediction> all = p.predict(v, 10);
        assertEquals(10, all.size());
        for (int i = 0; i < all.size(); i++) {
            Prediction c = all.get(i);
            assertEquals(expected[c.index()], c.probability(), 0f, "class " + c.index());
            assertEquals(NAMES.get(c.index()), c.label());
            if (i > 0) {
                assertTrue(all.get(i - 1).probability() >= c.probability(), "sorted, highest first");
            }
        }
        assertArrayEquals(expected, p.probabilities(Tensor.wrap(v, 1, 28, 28)));
        assertEquals(all.subList(0, 3), p.predict(Tensor.wrap(v, 1, 28, 28), 3));
        assertEquals(10, p.predict(v, 50).size(), "k above the class count gives every class");
        assertFalse(p.model().isTraining(), "a predictor puts its model in eval mode (no dropout)");
        assertTrue(GradMode.isEnabled(), "the caller's grad mode is left as it was");
    }

    @Test
    void anImageIsResizedScaledAndInvertedWhenItsBackgroundIsLight() throws IOException {
        Predictor p = fcnn(4);
        float[] v = randomInput(new Random(2));
        for (int i = 0; i < 28; i++) { // a dark border: no inversion
            v[i] = v[27 * 28 + i] = v[i * 28] = v[i * 28 + 27] = 0;
        }
        BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        float[] pixels = new float[784];
        for (int i = 0; i < 784; i++) {
            int b = Math.round(v[i] * 255);
            gray.getRaster().setSample(i % 28, i / 28, 0, b);
            pixels[i] = b / 255f;
        }
        assertEquals(p.predict(pixels, 10), p.predict(gray, 10));
        Path png = dir.resolve("x.png");
        ImageIO.write(gray, "png", png.toFile());
        assertEquals(p.predict(pixels, 10), p.predict(png, 10));

        BufferedImage light = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        float[] inverted = new float[784];
        for (int i = 0; i < 784; i++) {
            int b = Math.round(v[i] * 255);
            light.getRaster().setSample(i % 28, i / 28, 0, 255 - b);
            inverted[i] = 1f - (255 - b) / 255f;
        }
        assertEquals(p.predict(inverted, 10), p.predict(light, 10));
        Predictor noInversion = new Predictor(p.model(), card("fcnn", false));
        float[] asIs = new float[784];
        for (int i = 0; i < 784; i++) {
            asIs[i] = (255 - Math.round(v[i] * 255)) / 255f;
        }
        assertEquals(noInversion.predict(asIs, 10), noInversion.predict(light, 10));
    }

    @Test
    void aLargerImageIsScaledToTheInputSize() {
        Predictor p = fcnn(5);
        BufferedImage big = new BufferedImage(280, 140, BufferedImage.TYPE_INT_RGB);
        var g = big.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(100, 20, 80, 100);
        g.dispose();
        float[] t = p.imageTensor(big).toFloatArray();
        assertEquals(784, t.length);
        assertEquals(0f, t[0], "black corner stays black");
        assertEquals(1f, t[14 * 28 + 14], 1e-6f, "the white block lands in the middle");
    }

    /** A registered module taking RGB images (3, 4, 4). */
    static final class Rgb extends Module {
        final Linear fc = new Linear(48, 2);

        @Override
        public Tensor forward(Tensor x) {
            return fc.forward(x.flatten(1, -1));
        }
    }

    @Test
    void threeChannelModelsGetRgbPlanesNormalisedPerChannel() {
        ModelCard card = ModelCard.of("test-rgb", Map.of(), new int[] {3, 4, 4},
                new ModelCard.Preprocessing(List.of(0.5f, 0f, 0f), List.of(0.5f, 1f, 2f), false), List.of("a", "b"));
        Predictor p = new Predictor(new Rgb(), card);
        BufferedImage red = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                red.setRGB(x, y, 0xff0000 | (x < 4 ? 0x0000ff : 0));
            }
        }
        float[] t = p.imageTensor(red).toFloatArray();
        assertEquals(1f, t[0]);          // R plane
        assertEquals(0f, t[16]);         // G plane
        assertEquals(1f, t[32]);         // B plane, left half blue
        assertEquals(0f, t[32 + 3]);     // B plane, right half not
        float[] values = t.clone();
        float[] x = new float[48];
        for (int i = 0; i < 48; i++) {
            int c = i / 16;
            x[i] = (values[i] - card.preprocessing().mean(c)) / card.preprocessing().std(c);
        }
        float[] expected;
        try (var g = GradMode.noGrad()) {
            expected = p.model().forward(Tensor.wrap(x, 1, 3, 4, 4)).softmax(1).toFloatArray();
        }
        assertArrayEquals(expected, p.probabilities(Tensor.wrap(values, 3, 4, 4)));
        assertEquals(p.predict(values, 2), p.predict(red, 2));
    }

    /** A registered module taking feature vectors (3). */
    static final class Features extends Module {
        final Linear fc = new Linear(3, 2);

        @Override
        public Tensor forward(Tensor x) {
            return fc.forward(x);
        }
    }

    @Test
    void aVectorInputIsNormalisedPerFeature() {
        ModelCard card = ModelCard.of("test-features", Map.of(), new int[] {3},
                new ModelCard.Preprocessing(List.of(1f, 2f, 3f), List.of(1f, 2f, 4f), false), List.of("no", "yes"));
        Predictor p = new Predictor(new Features(), card);
        float[] expected;
        try (var g = GradMode.noGrad()) {
            expected = p.model().forward(Tensor.wrap(new float[] {1f, 1f, 0.5f}, 1, 3)).softmax(1).toFloatArray();
        }
        assertArrayEquals(expected, p.probabilities(Tensor.wrap(new float[] {2f, 4f, 5f}, 3)));
        var e = assertThrows(IllegalArgumentException.class, () -> p.imageTensor(new BufferedImage(3, 3,
                BufferedImage.TYPE_BYTE_GRAY)));
        assertEquals("the model's input shape [3] is not an image's (C, H, W): give it a tensor or values instead",
                e.getMessage());
    }

    @Test
    void aBatchGivesEachInputsAnswer() {
        Predictor p = fcnn(6);
        Random r = new Random(3);
        List<float[]> inputs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            inputs.add(randomInput(r));
        }
        List<List<Prediction>> batch = p.predictBatch(inputs, 3);
        assertEquals(7, batch.size());
        for (int i = 0; i < 7; i++) {
            assertSame(p.predict(inputs.get(i), 3), batch.get(i), 1e-6f);
        }
    }

    static void assertSame(List<Prediction> expected, List<Prediction> actual, float tolerance) {
        assertEquals(expected.stream().map(Prediction::index).toList(), actual.stream().map(Prediction::index).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).probability(), actual.get(i).probability(), tolerance);
            assertEquals(expected.get(i).label(), actual.get(i).label());
        }
    }

    @Test
    void sixteenThreadsOfAHundredCallsGetTheSerialAnswers() throws Exception {
        Linea.manualSeed(7);
        Predictor p = new Predictor(new CNN(0.25f), card("cnn", true)); // convolutions: per-thread scratch buffers
        Random r = new Random(4);
        int threads = 16, calls = 100;
        float[][] inputs = new float[threads * calls][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = randomInput(r);
        }
        List<List<Prediction>> serial = new ArrayList<>();
        for (float[] in : inputs) {
            serial.add(p.predict(in, 3));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<List<Prediction>>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = t * calls;
                futures.add(pool.submit(() -> {
                    List<List<Prediction>> mine = new ArrayList<>();
                    for (int i = from; i < from + calls; i++) {
                        mine.add(p.predict(inputs[i], 3));
                    }
                    return mine;
                }));
            }
            for (int t = 0; t < threads; t++) {
                assertEquals(serial.subList(t * calls, (t + 1) * calls), futures.get(t).get(), "thread " + t);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void loadsAModelFileOrARunFolder() throws IOException {
        Linea.manualSeed(8);
        FCNN model = new FCNN();
        Path run = Files.createDirectories(dir.resolve("run"));
        Models.save(run.resolve("model.safetensors"), model, card("fcnn", true));
        float[] v = randomInput(new Random(5));
        List<Prediction> expected = new Predictor(model, card("fcnn", true)).predict(v, 5);
        assertEquals(expected, Predictor.load(run).predict(v, 5));
        assertEquals(expected, Predictor.load(run.resolve("model.safetensors")).predict(v, 5));
        assertEquals(card("fcnn", true), Predictor.load(run).card());
    }

    @Test
    void badInputsAndFilesAreRefusedNamingTheProblem() throws IOException {
        Predictor p = fcnn(9);
        var e = assertThrows(IllegalArgumentException.class, () -> p.predict(new float[10], 1));
        assertEquals("input has 10 values, the model takes 784 (input shape [1, 28, 28])", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.predict(Tensor.zeros(28, 28), 1));
        assertEquals("input of shape [28, 28] does not fit the model's input shape [1, 28, 28] (784 values)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.predictBatch(Tensor.zeros(2, 784), 1));
        assertEquals("batch of shape [2, 784] does not fit the model's input shape [1, 28, 28] with a batch dimension in "
                + "front, (N, 1, 28, 28)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.predict(new float[784], 0));
        assertEquals("k must be at least 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.predictBatch(List.of(), 1));
        assertEquals("predictBatch needs at least one input", e.getMessage());

        Path notImage = Files.writeString(dir.resolve("notes.png"), "hello");
        assertThrows(ImageFormatException.class, () -> p.predict(notImage, 1));
        Path empty = Files.createDirectories(dir.resolve("empty-run"));
        var f = assertThrows(FileNotFoundException.class, () -> Predictor.load(empty));
        assertEquals(empty + " is a folder without model.safetensors (not a finished linea train run?)", f.getMessage());
        Path plain = dir.resolve("plain.safetensors");
        Checkpoints.saveModel(plain, new FCNN());
        var s = assertThrows(SafeTensorsException.class, () -> Predictor.load(plain));
        assertTrue(s.getMessage().contains("has no Linea model card"), s.getMessage());
    }
}
