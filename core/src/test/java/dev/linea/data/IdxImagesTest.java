package dev.linea.data;

import static dev.linea.data.IdxTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one IDX image data set behind MNIST and FashionMNIST, over tiny IDX files written here. */
class IdxImagesTest {
    @TempDir
    Path tmp;

    /** Split sizes of the fixture: the test split is the smaller, so a mixed-up split shows. */
    private static final int TRAIN = 5, TEST = 3;

    /**
     * Writes a 2x3-pixel set into {@code dir}: image {@code i} of a split has pixels {@code 10*i + j + offset}
     * (offset 0 for train, 100 for test) and label {@code (i + offset) % 10}. Images are gzipped, labels raw.
     */
    private static Path fixture(Path dir) throws IOException {
        for (Split split : Split.values()) {
            int n = split == Split.TRAIN ? TRAIN : TEST;
            int offset = split == Split.TRAIN ? 0 : 100;
            byte[] pixels = new byte[n * 6];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 6; j++) {
                    pixels[i * 6 + j] = (byte) (10 * i + j + offset);
                }
                labels[i] = (byte) ((i + offset) % 10);
            }
            Idx.write(dir.resolve(split.imagesFile() + ".gz"), new int[] {n, 2, 3}, pixels, true);
            Idx.write(dir.resolve(split.labelsFile()), new int[] {n}, labels, false);
        }
        return dir;
    }

    private static float[] scaled(int... bytes) {
        float[] out = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] / 255f;
        }
        return out;
    }

    @Test
    void loadsEachSplitFromTheSetsDirectoryAsTensorsInTheUnitInterval() throws IOException {
        Path dir = fixture(tmp.resolve("mnist"));
        IdxImages mnist = new IdxImages(ImageSetKind.MNIST);
        ImageDataset test = mnist.load(Split.TEST, Optional.of(dir), new ToTensor());
        assertEquals(TEST, test.size());
        Example second = test.get(1);
        assertArrayEquals(new int[] {1, 2, 3}, second.input().shape());
        assertArrayEquals(scaled(110, 111, 112, 113, 114, 115), second.input().toFloatArray(), 1e-7f);
        assertEquals(1f, second.target().item());
        assertEquals(ImageSetKind.MNIST, test.imageSet().kind());
        assertEquals(Split.TEST, test.imageSet().split());
        assertEquals(dir.toString(), test.imageSet().source());
        assertEquals(TRAIN, mnist.load(Split.TRAIN, Optional.of(dir), new ToTensor()).size());
    }

    @Test
    void anExplicitDataRootIsSearchedForTheSetsOwnDirectory() throws IOException {
        Path root = tmp.resolve("root");
        fixture(root.resolve("fashion-mnist"));
        ImageDataset train = new IdxImages(ImageSetKind.FASHION_MNIST).load(Split.TRAIN, Optional.of(root), new ToTensor());
        assertEquals(root.resolve("fashion-mnist").toString(), train.imageSet().source());
        assertEquals("Ankle boot", train.classNames().get(9));
        assertEquals(4, train.label(4));
    }

    @Test
    void withoutARootTheLocatorsSearchOrderPicksTheFiles() throws IOException {
        Map<String, String> env = new HashMap<>();
        Path home = tmp.resolve("home");
        IdxImages mnist = new IdxImages(ImageSetKind.MNIST, new DataLocator(env::get, home, tmp.resolve("system")));
        Path inHome = fixture(home.resolve(".linea/data/mnist"));
        assertEquals(inHome.toString(), mnist.load(Split.TEST).imageSet().source());
        Path envRoot = tmp.resolve("env");
        fixture(envRoot.resolve("mnist"));
        env.put(DataLocator.ENV_VAR, envRoot.toString());
        assertEquals(envRoot.resolve("mnist").toString(), mnist.load(Split.TEST).imageSet().source());
    }

    @Test
    void missingDataFailsWithWhereItLookedAndHowToGetIt() {
        IdxImages mnist = new IdxImages(ImageSetKind.MNIST, new DataLocator(k -> null, tmp.resolve("home"), tmp));
        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> mnist.load(Split.TRAIN));
        assertMessage(e, "MNIST not found", "$LINEA_DATA: not set", tmp.resolve("home/.linea/data/mnist").toString(),
                "does not exist", "To get it, run: ./linea data mnist");
        Path nowhere = tmp.resolve("nowhere");
        assertMessage(assertThrows(DataNotFoundException.class,
                () -> mnist.load(Split.TEST, Optional.of(nowhere), new ToTensor())), nowhere + " (explicit path)");
    }

    @Test
    void aLabelOutsideTheClassesNamesTheFile() throws IOException {
        Path dir = fixture(tmp.resolve("bad"));
        Idx.write(dir.resolve(Split.TEST.labelsFile()), new int[] {TEST}, new byte[] {0, 10, 1}, false);
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> new IdxImages(ImageSetKind.MNIST).load(Split.TEST, Optional.of(dir), new ToTensor()));
        assertMessage(e, dir.resolve(Split.TEST.labelsFile()).toString(), "label 10 at index 1", "0..9");
    }

    @Test
    void normalizedStandardisesWithTheKindsStatistics() throws IOException {
        Path dir = fixture(tmp.resolve("mnist"));
        IdxImages mnist = new IdxImages(ImageSetKind.MNIST);
        assertEquals(0.1307f, mnist.mean());
        assertEquals(0.3081f, mnist.std());
        Tensor x = mnist.load(Split.TRAIN, Optional.of(dir), mnist.normalized()).toTensors().inputs();
        float[] raw = mnist.load(Split.TRAIN, Optional.of(dir), new ToTensor()).toTensors().inputs().toFloatArray();
        float[] v = x.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            assertEquals((raw[i] - 0.1307f) / 0.3081f, v[i], 1e-6f, "pixel " + i);
        }
    }

    @Test
    void mnistAndFashionMnistAreFacesOverTheirKinds() throws IOException {
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), MNIST.classNames());
        assertEquals(ImageSetKind.FASHION_MNIST.classNames(), FashionMNIST.classNames());
        assertEquals(0.1307f, MNIST.MEAN);
        assertEquals(0.3081f, MNIST.STD);
        assertEquals(0.2860f, FashionMNIST.MEAN);
        assertEquals(0.3530f, FashionMNIST.STD);
        assertEquals(new IdxImages(ImageSetKind.FASHION_MNIST).normalized().toString(), FashionMNIST.normalized().toString());
        Path root = tmp.resolve("root");
        fixture(root.resolve("mnist"));
        fixture(root.resolve("fashion-mnist"));
        assertEquals(root.resolve("mnist").toString(),
                MNIST.load(Split.TEST, Optional.of(root), new ToTensor()).imageSet().source());
        ImageDataset fashion = FashionMNIST.load(Split.TRAIN, Optional.of(root), FashionMNIST.normalized());
        assertEquals(ImageSetKind.FASHION_MNIST, fashion.imageSet().kind());
        assertEquals((0 / 255f - 0.2860f) / 0.3530f, fashion.get(0).input().toFloatArray()[0], 1e-6f);
    }
}
