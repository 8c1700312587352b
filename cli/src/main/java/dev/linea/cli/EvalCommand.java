package dev.linea.cli;

import dev.linea.cli.train.RunModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code linea eval RUN}: test accuracy and a per-class report for a trained run. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a run's model on its data set's test split: accuracy and per-class precision, recall, F1.")
final class EvalCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "The run folder written by ./linea train.")
    Path run;

    @Option(names = "--best", description = "Use best.safetensors (kept with --early-stopping) instead of model.safetensors.")
    boolean best;

    @Override
    public Integer call() throws Exception {
        RunModel rm = RunModel.open(run, best);
        System.out.println("Evaluating " + rm.weights() + " on " + rm.describeTestSet());
        System.out.println(rm.evaluateReport());
        return 0;
    }
}
