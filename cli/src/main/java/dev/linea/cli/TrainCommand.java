package dev.linea.cli;

import dev.linea.cli.train.TrainSettings;
import dev.linea.cli.train.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code linea train}: trains a model on an image data set or one's own data and writes a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model and see it learn.",
                "Writes to the run folder: model.safetensors (PyTorch state-dict names), training-state.safetensors "
                        + "(optimizer state, for --resume), metrics.csv, settings.properties and PNG pictures (curves, "
                        + "confusion matrix, fc1's weights, predictions).",
                "Ctrl-C stops after the current batch, saves, and prints how to resume.",
                "A diverging run (a NaN or infinite loss, gradient or weight, or a loss above 10,000 × ln(classes)) "
                        + "stops with exit status 3 and one line saying where; the last finite checkpoint is kept."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "fcnn", description = "Model: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--data", defaultValue = "auto", description = "Data: fashion-mnist, mnist, sample, or auto "
            + "(full Fashion-MNIST when present, else the bundled sample; default: ${DEFAULT-VALUE}); or your own: "
            + "csv:FILE (a CSV table with a header: numeric feature columns and --label's column of classes) or "
            + "folder:DIR (one sub-folder of PNG/JPEG images per class; DIR/train and DIR/test when it has a test part).")
    String data;

    @Option(names = "--label", paramLabel = "COLUMN", description = "With --data csv:FILE: the column holding the "
            + "classes (the model's input size is the number of other columns).")
    String label;

    @Option(names = "--test-split", defaultValue = "0.2", paramLabel = "FRACTION", description = "Your own data "
            + "without a test part: hold out this fraction for testing, drawn at random from --seed (default: "
            + "${DEFAULT-VALUE}).")
    double testSplit;

    @Option(names = "--image-size", paramLabel = "HxW", description = "With --data folder:DIR: resize every image "
            + "to HxW (default: keep the first image's size; all must then have it).")
    String imageSize;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the data set's IDX files are (default: "
            + "$LINEA_DATA, ~/.linea/data, /usr/share/datasets).")
    Path dataDir;

    @Option(names = "--epochs", defaultValue = "30", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam, adamw or sgd (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "0", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--dropout", defaultValue = "0.1", description = "Dropout after each hidden layer (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--scheduler", defaultValue = "cosine", description = "Learning-rate schedule: none, cosine, "
            + "step:EPOCHS:GAMMA, exponential:GAMMA, onecycle, plateau (default: ${DEFAULT-VALUE}).")
    String scheduler;

    @Option(names = "--clip-grad-norm", defaultValue = "0", paramLabel = "NORM",
            description = "Clip the total gradient norm to NORM (0: off; default: ${DEFAULT-VALUE}).")
    double clipGradNorm;

    @Option(names = "--early-stopping", defaultValue = "0", paramLabel = "PATIENCE", description = "Stop when the test "
            + "loss has not improved for PATIENCE epochs and keep the best weights (0: off; default: ${DEFAULT-VALUE}).")
    int earlyStopping;

    @Option(names = "--augment-shift", defaultValue = "0", paramLabel = "PIXELS", description = "Move each training "
            + "image by up to PIXELS at random (data augmentation; 0: off; default: ${DEFAULT-VALUE}).")
    int augmentShift;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Threads (default: all processors).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/MODEL-DATA-TIME).")
    Path out;

    @Option(names = "--init", paramLabel = "FILE.onnx", description = "Start from the weights of an ONNX model "
            + "(exported by ./linea export or by PyTorch from the same architecture; --model defaults to the "
            + "architecture they fit).")
    Path init;

    @Option(names = "--resume", paramLabel = "RUN", description = "Continue the run in folder RUN from its last "
            + "checkpoint (its settings are kept: --epochs may extend it, rebuilding a cosine, warmup-cosine or "
            + "onecycle schedule for the new length; --threads and --data-dir may change; any other option must "
            + "repeat the saved value).")
    Path resume;

    @picocli.CommandLine.Mixin
    SparkOptions spark;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return dev.linea.cli.train.Training.MODELS.iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (spark.enabled()) {
            return spark.train(this);
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (resume != null) {
            var parsed = spec.commandLine().getParseResult();
            boolean epochsGiven = parsed.hasMatchedOption("--epochs");
            // Every other option given is checked against the run's settings (ResumeOptions: refused or stated).
            java.util.Map<String, Object> given = new java.util.LinkedHashMap<>();
            for (var o : parsed.matchedOptions()) {
                if (!List.of("--resume", "--epochs", "--threads").contains(o.longestName())) {
                    given.put(o.longestName(), o.getValue());
                }
            }
            return Training.resume(resume, epochsGiven ? epochs : null, threads, given, System.out);
        }
        dev.linea.onnx.OnnxModule imported = null;
        if (init != null) {
            if (resume != null) {
                throw new IllegalArgumentException("--init starts a new run; it cannot be combined with --resume");
            }
            imported = dev.linea.onnx.Onnx.load(init);
            if (!spec.commandLine().getParseResult().hasMatchedOption("--model")) {
                model = dev.linea.cli.train.OnnxInit.architecture(imported, init.toString());
            }
        }
        TrainSettings s = Training.settings(model, data, dataDir, epochs, batchSize, optimizer, lr, weightDecay, seed, t,
                dropout, scheduler, clipGradNorm, earlyStopping, augmentShift, label, testSplit, imageSize);
        return Training.start(s, out, System.out, imported, init);
    }
}
