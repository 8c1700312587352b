package dev.linea.data;

import static dev.linea.data.IdxTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSetTest {
    @TempDir
    Path tmp;

    private static int[] histogram(ImageSet set) {
        int[] h = new int[set.classNames().size()];
        for (int i = 0; i < set.count(); i++) {
            h[set.label(i)]++;
        }
        return h;
    }

    @Test
    void embeddedSampleHasBalancedClasses() throws IOException {
        for (Split split : Split.values()) {
            ImageSet set = ImageSet.loadSample(split);
            int perClass = split == Split.TRAIN ? 500 : 100;
            assertEquals(10 * perClass, set.count());
            assertEquals(28, set.rows());
            assertEquals(28, set.cols());
            assertEquals(set.count() * 784, set.pixels().length);
            for (int n : histogram(set)) {
                assertEquals(perClass, n);
            }
            assertEquals(ImageSetKind.FASHION_MNIST_SAMPLE, set.kind());
            assertTrue(set.source().startsWith("classpath:dev/linea/sample-data/fashion-mnist"), set.source());
            assertEquals("Ankle boot", set.classNames().get(9));
            int max = 0;
            for (byte b : set.pixels()) {
                max = Math.max(max, Byte.toUnsignedInt(b));
            }
            assertEquals(255, max, "real images use the full 0..255 range");
        }
    }

    /** Writes a tiny valid set (labels 0,1,2,...) of {@code n} 2x3 images to {@code dir}. */
    private static Path tinySet(Path dir, int n) throws IOException {
        for (Split s : Split.values()) {
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 10);
            }
            Idx.write(dir.resolve(s.imagesFile() + ".gz"), new int[] {n, 2, 3}, new byte[n * 6], true);
            Idx.write(dir.resolve(s.labelsFile()), new int[] {n}, labels, false);
        }
        return dir;
    }

    @Test
    void loadsFromLocatedFiles() throws IOException {
        Path root = tmp.resolve("root");
        tinySet(root.resolve("mnist"), 12);
        DataLocator locator = new DataLocator(Map.of("LINEA_DATA", root.toString())::get, tmp, tmp.resolve("none"));
        ImageSet set = ImageSet.load(ImageSetKind.MNIST, Split.TEST, Optional.empty(), locator);
        assertEquals(12, set.count());
        assertEquals(2, set.rows());
        assertEquals(3, set.cols());
        assertEquals(1, set.label(11));
        assertEquals(root.resolve("mnist").toString(), set.source());
        assertTrue(set.describe().contains("MNIST test: 12 images 2x3"), set.describe());
    }

    @Test
    void autoPicksFullSetWhenFoundElseSample() throws IOException {
        DataLocator empty = new DataLocator(k -> null, tmp.resolve("home"), tmp.resolve("sys"));
        assertEquals(ImageSetKind.FASHION_MNIST_SAMPLE, ImageSet.autoKind(Optional.empty(), empty));
        tinySet(tmp.resolve("sys/fashion-mnist"), 10);
        assertEquals(ImageSetKind.FASHION_MNIST, ImageSet.autoKind(Optional.empty(), empty));
        assertThrows(DataNotFoundException.class, () -> ImageSet.autoKind(Optional.of(tmp.resolve("x")), empty));
    }

    @Test
    void countMismatchNamesBothFiles() {
        IdxData images = new IdxData(new int[] {3, 2, 2}, new byte[12]);
        IdxData labels = new IdxData(new int[] {2}, new byte[2]);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> ImageSet.of(ImageSetKind.MNIST,
                Split.TRAIN, "t", images, "/d/imgs", labels, "/d/labs"));
        assertMessage(e, "/d/labs", "2 labels", "/d/imgs", "3 images");
    }

    @Test
    void badLabelNamesFileValueAndIndex() {
        IdxData images = new IdxData(new int[] {3, 2, 2}, new byte[12]);
        IdxData labels = new IdxData(new int[] {3}, new byte[] {1, 10, 2});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> ImageSet.of(
                ImageSetKind.FASHION_MNIST, Split.TRAIN, "t", images, "/d/imgs", labels, "/d/labs"));
        assertMessage(e, "/d/labs", "label 10 at index 1", "0..9");
    }

    @Test
    void wrongRankIsRejected() {
        IdxData flat = new IdxData(new int[] {3, 4}, new byte[12]);
        IdxData labels = new IdxData(new int[] {3}, new byte[3]);
        assertMessage(assertThrows(IdxFormatException.class, () -> ImageSet.of(ImageSetKind.MNIST, Split.TRAIN,
                "t", flat, "/d/imgs", labels, "/d/labs")), "/d/imgs", "3 dimensions", "3 x 4");
        IdxData images = new IdxData(new int[] {3, 2, 2}, new byte[12]);
        assertMessage(assertThrows(IdxFormatException.class, () -> ImageSet.of(ImageSetKind.MNIST, Split.TRAIN,
                "t", images, "/d/imgs", flat, "/d/labs")), "/d/labs", "1 dimension", "3 x 4");
    }

    /** The real Debian data, when installed: checks counts and balance of the test split (10,000 images). */
    @Test
    void debianFashionMnistWhenInstalled() throws IOException {
        Path debian = DataLocator.DEBIAN_ROOT.resolve("fashion-mnist");
        assumeTrue(Files.isDirectory(debian), "dataset-fashion-mnist not installed");
        DataLocator locator = new DataLocator(k -> null, tmp, DataLocator.DEBIAN_ROOT);
        ImageSet test = ImageSet.load(ImageSetKind.FASHION_MNIST, Split.TEST, Optional.empty(), locator);
        assertEquals(10_000, test.count());
        for (int n : histogram(test)) {
            assertEquals(1000, n);
        }
    }
}
