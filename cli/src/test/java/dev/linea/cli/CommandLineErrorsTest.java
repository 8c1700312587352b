package dev.linea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A bad option or value is one line: the error and the help to read, not the whole usage text. */
class CommandLineErrorsTest {

    @Test
    void badValueIsOneLineNamingTheHelpOfItsCommand() {
        assertEquals("linea: Invalid value for option '--epochs': 'abc' is not an int (see ./linea train --help)",
                runFailing("train", "--epochs", "abc"));
    }

    @Test
    void unknownOptionIsOneLineWithPicocliSuggestion() {
        assertEquals("linea: Unknown option: '--epoch'; did you mean --epochs? (see ./linea train --help)",
                runFailing("train", "--epoch"));
    }

    @Test
    void unknownCommandPointsAtTheTopLevelHelp() {
        String line = runFailing("trian");
        assertEquals(1, line.lines().count(), line);
        assertEquals("linea: Unmatched argument at index 0: 'trian'; did you mean train? (see ./linea --help)", line);
    }

    @Test
    void missingParameterOfASubcommandNamesThatSubcommand() {
        assertEquals("linea: Missing required parameter: 'SET' (see ./linea data --help)", runFailing("data"));
    }

    /** Runs the command line, expects exit code 2, and returns what it wrote to standard error. */
    static String runFailing(String... args) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        assertEquals(2, code, err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing on standard output");
        return err.toString(StandardCharsets.UTF_8).strip();
    }
}
