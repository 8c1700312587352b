package dev.linea.cli;

import dev.linea.cli.train.Training;
import dev.linea.models.Models;
import dev.linea.nn.Module;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code linea summary MODEL}: the model in PyTorch's format and its layer table with parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print a model's layers, output shapes and parameter counts.")
final class SummaryCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "MODEL", defaultValue = "fcnn",
            description = "Model name (default: fcnn), or an ONNX file (FILE.onnx).")
    String model;

    @Option(names = "--batch-size", defaultValue = "1", description = "Batch size of the example input (default: 1).")
    int batchSize;

    @Override
    public void run() {
        if (OnnxFiles.isOnnx(model)) {
            try {
                System.out.print(OnnxFiles.summary(java.nio.file.Path.of(model)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return;
        }
        Module m = Models.create(model, java.util.Map.of());
        int[] one = Training.INPUT_SHAPE;
        int[] shape = new int[one.length + 1];
        shape[0] = batchSize;
        System.arraycopy(one, 0, shape, 1, one.length);
        System.out.println(m);
        System.out.println();
        System.out.println(m.summary(shape));
    }
}
