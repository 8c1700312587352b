package dev.linea.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A bad option or value prints one line, what was wrong and where to read more, instead of picocli's
 * whole usage text (which pushed the error itself off the screen):
 * {@code linea: Invalid value for option '--epochs': 'abc' is not an int (see ./linea train --help)}.
 */
final class OneLineErrors implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        StringBuilder line = new StringBuilder("linea: ").append(e.getMessage());
        if (e instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append("; did you mean ").append(String.join(" or ", suggestions)).append('?');
            }
        }
        line.append(" (see ./").append(cmd.getCommandSpec().qualifiedName()).append(" --help)");
        err.println(line);
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }
}
