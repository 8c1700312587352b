package dev.linea.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code linea} command: train, evaluate and inspect models, run examples and benchmarks. */
@Command(name = "linea", mixinStandardHelpOptions = true, version = "Linea 0.2.0",
        description = "Deep learning in pure Java: train the tutorial's networks, look at what they learned.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, ExportCommand.class, ServeCommand.class, ExampleCommand.class, SummaryCommand.class, DataCommand.class, BenchCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        // Everything after the example's name is the example's own arguments, options included.
        cl.getSubcommands().get("example").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        cl.setParameterExceptionHandler(new OneLineErrors());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Expected failures (bad input, missing data) get one clear line, not a stack trace.
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("linea: " + e.getMessage());
                if (System.getenv("LINEA_DEBUG") != null) {
                    e.printStackTrace(cmd.getErr());
                }
                return e instanceof dev.linea.cli.train.TrainingDiverged ? dev.linea.cli.train.TrainingDiverged.EXIT_CODE : 2;
            }
            throw e;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
