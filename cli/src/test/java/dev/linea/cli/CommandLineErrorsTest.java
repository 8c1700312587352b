package dev.linea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        CommandRun r = CommandRun.linea(args);
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out(), "nothing on standard output");
        return r.err().strip();
    }
}
