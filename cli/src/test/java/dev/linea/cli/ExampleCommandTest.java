package dev.linea.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code linea example}: the names it offers, and how it hands options to the examples module's programs. */
class ExampleCommandTest {

    @Test
    void offersTheExamplesInTheirUsualOrder() {
        assertEquals(List.of("tutorial", "gan", "dropout", "fc-vs-conv", "char-lstm"), List.copyOf(ExampleCommand.EXAMPLES.keySet()));
    }

    @Test
    void passesOptionsToTheExampleAndReportsItsErrorsInOneLine() {
        assertEquals("linea: --epochs must be at least 1, got 0", runFailing("example", "gan", "--epochs", "0"));
    }

    @Test
    void namesTheAvailableExamplesForAnUnknownOne() {
        assertEquals("linea: unknown example 'nope'; available: tutorial, gan, dropout, fc-vs-conv, char-lstm", runFailing("example", "nope"));
    }

    /** Runs the command line, expects exit code 2, and returns what it wrote to standard error. */
    private static String runFailing(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setErr(oldErr);
        }
        assertEquals(2, code, err.toString(StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8).strip();
    }
}
