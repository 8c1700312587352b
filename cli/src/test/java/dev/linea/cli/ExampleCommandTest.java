package dev.linea.cli;

import org.junit.jupiter.api.Test;

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
        CommandRun r = CommandRun.linea(args);
        assertEquals(2, r.code(), r.err());
        return r.err().strip();
    }
}
