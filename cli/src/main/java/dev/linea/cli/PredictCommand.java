package dev.linea.cli;

import dev.linea.cli.train.RunModel;
import dev.linea.inference.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code linea predict RUN IMAGE}: the most likely classes of one image, with probabilities. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify an image (PNG, JPEG, ...; any size, resized to the model's input, e.g. 28x28 grayscale; a light background "
                + "is inverted to match the training images' dark one).")
final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "The run folder written by ./linea train, a model "
            + "file with a model card (.safetensors), or an ONNX file (FILE.onnx; preprocessing and class names from "
            + "its metadata, as ./linea export writes them).")
    Path run;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "The image file.")
    Path image;

    @Option(names = "--top", defaultValue = "3", description = "How many classes to show (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws Exception {
        if (OnnxFiles.isOnnx(run.toString())) {
            System.out.print(OnnxFiles.predict(run, image, top));
        } else if (Files.isRegularFile(run)) {
            System.out.print(RunModel.predictReport(Predictor.load(run), image, top));
        } else {
            System.out.print(RunModel.open(run, false).predictReport(image, top));
        }
        return 0;
    }
}
