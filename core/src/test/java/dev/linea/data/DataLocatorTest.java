package dev.linea.data;

import static dev.linea.data.IdxTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLocatorTest {
    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>();
    private Path home;
    private Path system;
    private DataLocator locator;

    @BeforeEach
    void setUp() {
        home = tmp.resolve("home");
        system = tmp.resolve("usr-share-datasets");
        locator = new DataLocator(env::get, home, system);
    }

    /** Creates the four files of a set in {@code dir}, gzipped or not, as empty placeholders. */
    static Path fourFiles(Path dir, boolean gz) throws IOException {
        Files.createDirectories(dir);
        for (Split s : Split.values()) {
            Files.write(dir.resolve(s.imagesFile() + (gz ? ".gz" : "")), new byte[0]);
            Files.write(dir.resolve(s.labelsFile() + (gz ? ".gz" : "")), new byte[0]);
        }
        return dir;
    }

    @Test
    void searchOrderIsExplicitThenEnvThenHomeThenDebian() throws IOException {
        Path debian = fourFiles(system.resolve("fashion-mnist"), true);
        assertEquals(debian, locator.locate(ImageSetKind.FASHION_MNIST, Optional.empty()).directory());

        Path inHome = fourFiles(home.resolve(".linea/data/fashion-mnist"), true);
        assertEquals(inHome, locator.locate(ImageSetKind.FASHION_MNIST, Optional.empty()).directory());

        Path envRoot = tmp.resolve("env");
        fourFiles(envRoot.resolve("fashion-mnist"), false);
        env.put("LINEA_DATA", envRoot.toString());
        DataFiles fromEnv = locator.locate(ImageSetKind.FASHION_MNIST, Optional.empty());
        assertEquals(envRoot.resolve("fashion-mnist"), fromEnv.directory());
        assertEquals("LINEA_DATA", fromEnv.origin());

        Path explicit = fourFiles(tmp.resolve("mine"), true);
        assertEquals(explicit, locator.locate(ImageSetKind.FASHION_MNIST, Optional.of(explicit)).directory());
    }

    @Test
    void explicitPathMayBeADataRoot() throws IOException {
        Path root = tmp.resolve("root");
        Path set = fourFiles(root.resolve("mnist"), true);
        DataFiles files = locator.locate(ImageSetKind.MNIST, Optional.of(root));
        assertEquals(set, files.directory());
        assertEquals(set.resolve("t10k-labels-idx1-ubyte.gz"), files.labels(Split.TEST));
    }

    @Test
    void rawFileWinsOverGzip() throws IOException {
        Path dir = fourFiles(home.resolve(".linea/data/mnist"), true);
        Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[0]);
        DataFiles files = locator.locate(ImageSetKind.MNIST, Optional.empty());
        assertEquals(dir.resolve("train-images-idx3-ubyte"), files.images(Split.TRAIN));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte.gz"), files.images(Split.TEST));
    }

    @Test
    void incompleteDirectoryIsSkipped() throws IOException {
        Path env1 = tmp.resolve("env");
        Files.createDirectories(env1.resolve("fashion-mnist"));
        Files.write(env1.resolve("fashion-mnist/train-images-idx3-ubyte.gz"), new byte[0]);
        env.put("LINEA_DATA", env1.toString());
        Path debian = fourFiles(system.resolve("fashion-mnist"), false);
        assertEquals(debian, locator.locate(ImageSetKind.FASHION_MNIST, Optional.empty()).directory());
    }

    @Test
    void explicitPathDoesNotFallBack() throws IOException {
        fourFiles(system.resolve("fashion-mnist"), true);
        Path nowhere = tmp.resolve("nowhere");
        DataNotFoundException e = assertThrows(DataNotFoundException.class,
                () -> locator.locate(ImageSetKind.FASHION_MNIST, Optional.of(nowhere)));
        assertEquals(2, e.searched().size());
        assertMessage(e, nowhere.toString(), "explicit path", "does not exist");
    }

    @Test
    void notFoundMessageListsEveryPlaceAndTheCommand() throws IOException {
        Path envRoot = tmp.resolve("env");
        Files.createDirectories(envRoot.resolve("fashion-mnist"));
        Files.write(envRoot.resolve("fashion-mnist/train-images-idx3-ubyte.gz"), new byte[0]);
        env.put("LINEA_DATA", envRoot.toString());
        DataNotFoundException e = assertThrows(DataNotFoundException.class,
                () -> locator.locate(ImageSetKind.FASHION_MNIST, Optional.empty()));
        assertMessage(e, "Fashion-MNIST not found",
                envRoot.resolve("fashion-mnist") + " (LINEA_DATA): missing train-labels-idx1-ubyte[.gz], "
                        + "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]",
                home.resolve(".linea/data/fashion-mnist") + " (home): does not exist",
                system.resolve("fashion-mnist") + " (Debian package dataset-fashion-mnist): does not exist",
                "sudo apt-get install dataset-fashion-mnist");
        assertEquals(3, e.searched().size());
    }

    @Test
    void mnistHasNoDebianFallbackAndNamesItsCommand() {
        DataNotFoundException e = assertThrows(DataNotFoundException.class,
                () -> locator.locate(ImageSetKind.MNIST, Optional.empty()));
        assertMessage(e, "MNIST not found", "$LINEA_DATA: not set", "./linea data mnist");
        assertTrue(e.searched().stream().noneMatch(s -> s.contains("Debian")), e.getMessage());
    }

    @Test
    void defaultRootIsEnvElseHome() {
        assertEquals(home.resolve(".linea/data"), locator.defaultRoot());
        env.put("LINEA_DATA", "/x/y");
        assertEquals(Path.of("/x/y"), locator.defaultRoot());
    }
}
