package dev.linea.cli;

import dev.linea.cli.train.RunModel;
import dev.linea.onnx.ModelProto;
import dev.linea.onnx.TensorProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code linea export RUN [--out FILE]}: a trained run's model as an ONNX file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a run's model as an ONNX file (opset 17, any batch size: input 'input' (batch, 1, 28, 28), "
                + "output 'output' (batch, classes) logits; weights under their state-dict names; the input's "
                + "normalisation and the class names in its metadata), for onnxruntime and other ONNX runtimes.")
final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "The run folder written by ./linea train.")
    Path run;

    @Option(names = "--out", paramLabel = "FILE", description = "The ONNX file to write (default: RUN/model.onnx).")
    Path out;

    @Option(names = "--best", description = "Export best.safetensors (kept with --early-stopping) instead of model.safetensors.")
    boolean best;

    @Override
    public Integer call() throws Exception {
        RunModel rm = RunModel.open(run, best);
        Path file = out != null ? out : run.resolve("model.onnx");
        ModelProto m = rm.exportOnnx(file);
        long params = m.graph().initializers().stream().mapToLong(TensorProto::numel).sum();
        System.out.printf(Locale.ROOT, "Wrote %s: %d nodes, %,d values in %d initializers, from %s%n", file,
                m.graph().nodes().size(), params, m.graph().initializers().size(), rm.weights());
        return 0;
    }
}
