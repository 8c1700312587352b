package dev.linea.cli.train;

import dev.linea.Linea;
import dev.linea.data.FashionMNIST;
import dev.linea.data.ImageDataset;
import dev.linea.data.ImageSet;
import dev.linea.data.ImageSetKind;
import dev.linea.data.MNIST;
import dev.linea.data.Normalize;
import dev.linea.data.Split;
import dev.linea.data.ToTensor;
import dev.linea.io.Checkpoints;
import dev.linea.internal.io.AtomicFiles;
import dev.linea.internal.io.Json;
import dev.linea.io.SafeTensorsException;
import dev.linea.io.TrainingProgress;
import dev.linea.models.ModelCard;
import dev.linea.models.Models;
import dev.linea.nn.Module;
import dev.linea.optim.Adam;
import dev.linea.optim.AdamW;
import dev.linea.optim.Optimizer;
import dev.linea.optim.SGD;
import dev.linea.train.CsvLogger;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Starts and resumes training runs: settings, data, model, optimizer, run folder, Ctrl-C handling. */
public final class Training {
    /**
     * The library models ({@link Models}) the command line trains: both take 28×28 gray images, the FCNN also
     * one's own data of any size (one input per feature or pixel).
     */
    public static final List<String> MODELS = List.of("fcnn", "cnn");
    /** The shape of one example of the built-in data sets, (C, H, W). */
    public static final int[] INPUT_SHAPE = {1, 28, 28};

    private Training() {}

    /** A run's model, freshly initialised, built by the library's registry. */
    static Module model(TrainSettings s) {
        return Models.create(s.model(), config(s));
    }

    /**
     * The model's options: its dropout, and for one's own data its size (the FCNN's {@code in_features}, the
     * classes), so that the card rebuilds it.
     */
    private static java.util.Map<String, Object> config(TrainSettings s) {
        java.util.Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("dropout", s.dropout());
        if (s.own() != null) {
            if (s.model().equals("fcnn")) {
                c.put("in_features", s.own().features());
            }
            c.put("num_classes", s.own().classNames().size());
        }
        return c;
    }

    /** Refuses data the model cannot take (the CNN takes 28×28 images), before anything is built or written. */
    static void checkModel(TrainSettings s) {
        if (s.own() != null && s.model().equals("cnn") && (s.csv() || !"28x28".equals(s.own().imageSize()))) {
            throw new IllegalArgumentException("the cnn model takes 28x28 images; " + (s.csv()
                    ? "train a CSV table with --model fcnn" : "pass --image-size 28x28, or use --model fcnn"));
        }
    }

    /**
     * The model card written into a run's model files: the architecture and its options, the input shape,
     * the normalisation of the run's data (for the built-in sets light backgrounds inverted, as their images are
     * dark; a table's features as they are) and the class names, so that {@code Models.load} and
     * {@code Predictor} need nothing else from the run.
     */
    static ModelCard card(TrainSettings s) {
        if (s.own() == null) {
            return ModelCard.of(s.model(), config(s), INPUT_SHAPE,
                    ModelCard.Preprocessing.normalize(s.mean(), s.std(), true), classNames(s));
        }
        int[] shape = s.csv() ? new int[] {s.own().features()} : new int[] {1,
                TrainSettings.OwnData.imageRows(s.own().imageSize()), TrainSettings.OwnData.imageCols(s.own().imageSize())};
        return ModelCard.of(s.model(), config(s), shape, ModelCard.Preprocessing.normalize(s.mean(), s.std(), false),
                classNames(s));
    }

    /** Validated settings from the command line; resolves {@code auto} data to the set that will be used. */
    public static TrainSettings settings(String model, String data, Path dataDir, int epochs, int batchSize, String optimizer,
                                         double lr, double weightDecay, long seed, int threads, float dropout,
                                         String scheduler, double clipGradNorm, int earlyStopping, int augmentShift)
            throws IOException {
        return settings(model, data, dataDir, epochs, batchSize, optimizer, lr, weightDecay, seed, threads, dropout,
                scheduler, clipGradNorm, earlyStopping, augmentShift, null, DEFAULT_TEST_SPLIT, null);
    }

    /** The fraction of one's own data held out for testing when it has no test part. */
    public static final double DEFAULT_TEST_SPLIT = 0.2;

    /**
     * As above, with the options of one's own data: {@code data} {@code csv:FILE} (the classes in column
     * {@code label}) or {@code folder:DIR} (one sub-folder per class; {@code imageSize} {@code HxW} resizes the
     * images, null keeps the first one's size), {@code testSplit} of it held out when it has no test part.
     */
    public static TrainSettings settings(String model, String data, Path dataDir, int epochs, int batchSize, String optimizer,
                                         double lr, double weightDecay, long seed, int threads, float dropout,
                                         String scheduler, double clipGradNorm, int earlyStopping, int augmentShift,
                                         String label, double testSplit, String imageSize)
            throws IOException {
        boolean csv = data.startsWith("csv:"), folder = data.startsWith("folder:");
        if (!csv && !folder) {
            if (label != null || imageSize != null) {
                throw new IllegalArgumentException((label != null ? "--label" : "--image-size") + " is for one's own "
                        + "data (--data csv:FILE, folder:DIR), not --data " + data);
            }
            return builtIn(model, data, dataDir, epochs, batchSize, optimizer, lr, weightDecay, seed, threads, dropout,
                    scheduler, clipGradNorm, earlyStopping, augmentShift);
        }
        Path path = Path.of(data.substring(data.indexOf(':') + 1)).toAbsolutePath().normalize();
        if (csv && label == null) {
            throw new IllegalArgumentException("--data " + data + " needs --label COLUMN: the CSV column holding the classes");
        }
        if (!csv && label != null) {
            throw new IllegalArgumentException("--label is for a CSV table; --data " + data + " takes its classes from "
                    + "its sub-folders");
        }
        if (csv && imageSize != null) {
            throw new IllegalArgumentException("--image-size is for images; --data " + data + " is a CSV table");
        }
        if (csv && augmentShift > 0) {
            throw new IllegalArgumentException("--augment-shift moves images; --data " + data + " is a CSV table");
        }
        if (!Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, csv ? "no such CSV file" : "no such image folder");
        }
        if (!MODELS.contains(model)) {
            throw new IllegalArgumentException("unknown model '" + model + "'; available: " + String.join(", ", MODELS));
        }
        if (!List.of("adam", "adamw", "sgd").contains(optimizer)) {
            throw new IllegalArgumentException("unknown optimizer '" + optimizer + "'; available: adam, adamw, sgd");
        }
        var own = new TrainSettings.OwnData(label, testSplit, imageSize, 0, List.of());
        return new TrainSettings(model, (csv ? "csv:" : "folder:") + path, null, epochs, batchSize, optimizer, lr,
                weightDecay, seed, threads, dropout, ScheduleSpec.parse(scheduler), clipGradNorm, earlyStopping,
                augmentShift, 0f, 1f, own);
    }

    private static TrainSettings builtIn(String model, String data, Path dataDir, int epochs, int batchSize,
                                         String optimizer, double lr, double weightDecay, long seed, int threads,
                                         float dropout, String scheduler, double clipGradNorm, int earlyStopping,
                                         int augmentShift) throws IOException {
        if (!MODELS.contains(model)) {
            throw new IllegalArgumentException("unknown model '" + model + "'; available: " + String.join(", ", MODELS));
        }
        if (!List.of("adam", "adamw", "sgd").contains(optimizer)) {
            throw new IllegalArgumentException("unknown optimizer '" + optimizer + "'; available: adam, adamw, sgd");
        }
        ScheduleSpec schedule = ScheduleSpec.parse(scheduler);
        ImageSetKind kind = kind(data, dataDir);
        float[] norm = normalization(kind);
        return new TrainSettings(model, dataName(kind), dataDir == null ? null : dataDir.toString(), epochs, batchSize,
                optimizer, lr, weightDecay, seed, threads, dropout, schedule, clipGradNorm, earlyStopping, augmentShift,
                norm[0], norm[1], null);
    }

    static ImageSetKind kind(String data, Path dataDir) throws IOException {
        return switch (data) {
            case "auto" -> ImageSet.autoKind(Optional.ofNullable(dataDir), dev.linea.data.DataLocator.system());
            case "fashion-mnist" -> ImageSetKind.FASHION_MNIST;
            case "mnist" -> ImageSetKind.MNIST;
            case "sample" -> ImageSetKind.FASHION_MNIST_SAMPLE;
            default -> throw new IllegalArgumentException("unknown data '" + data + "'; available: auto, fashion-mnist, "
                    + "mnist, sample, csv:FILE (with --label COLUMN), folder:DIR");
        };
    }

    static String dataName(ImageSetKind kind) {
        return switch (kind) {
            case FASHION_MNIST -> "fashion-mnist";
            case MNIST -> "mnist";
            case FASHION_MNIST_SAMPLE -> "sample";
        };
    }

    private static ImageSetKind kindOf(String name) {
        return switch (name) {
            case "fashion-mnist" -> ImageSetKind.FASHION_MNIST;
            case "mnist" -> ImageSetKind.MNIST;
            case "sample" -> ImageSetKind.FASHION_MNIST_SAMPLE;
            default -> throw new IllegalArgumentException("unknown data '" + name + "' in settings");
        };
    }

    /** Mean and standard deviation of the training pixels in [0, 1] (the usual published values). */
    private static float[] normalization(ImageSetKind kind) {
        return kind == ImageSetKind.MNIST ? new float[] {MNIST.MEAN, MNIST.STD} : new float[] {FashionMNIST.MEAN, FashionMNIST.STD};
    }

    /** Loads one split of a run's data, normalised as the run was. */
    static ImageDataset data(TrainSettings s, Split split) throws IOException {
        Optional<Path> root = Optional.ofNullable(s.dataDir()).map(Path::of);
        ImageSet set = ImageSet.load(kindOf(s.data()), split, root);
        return new ImageDataset(set, new ToTensor().andThen(new Normalize(s.mean(), s.std())));
    }

    /** The class names of a run's data set. */
    static List<String> classNames(TrainSettings s) {
        return s.own() != null ? s.own().classNames() : kindOf(s.data()).classNames();
    }

    static Optimizer optimizer(TrainSettings s, Module model) {
        return switch (s.optimizer()) {
            case "adam" -> new Adam(model.parameters(), s.lr(), 0.9, 0.999, 1e-8, s.weightDecay());
            case "adamw" -> new AdamW(model.parameters(), s.lr(), 0.9, 0.999, 1e-8, s.weightDecay());
            case "sgd" -> new SGD(model.parameters(), s.lr(), 0.9, 0, s.weightDecay(), true);
            default -> throw new IllegalArgumentException("unknown optimizer '" + s.optimizer() + "'");
        };
    }

    /** Runs a new training run into {@code out} (or a fresh folder under runs/). Returns the exit code. */
    public static int start(TrainSettings s, Path out, PrintStream log) throws IOException {
        return start(s, out, log, trainer -> { }, null, null);
    }

    /** As {@link #start(TrainSettings, Path, PrintStream)}, the model starting from {@code init}'s weights (--init). */
    public static int start(TrainSettings s, Path out, PrintStream log, dev.linea.onnx.OnnxModule init, Path initFile)
            throws IOException {
        return start(s, out, log, trainer -> { }, init, initFile);
    }

    static int start(TrainSettings s, Path out, PrintStream log, java.util.function.Consumer<Trainer> onStart)
            throws IOException {
        return start(s, out, log, onStart, null, null);
    }

    /** As {@link #start(TrainSettings, Path, PrintStream)}; {@code onStart} sees the trainer first (tests stop it). */
    static int start(TrainSettings s, Path out, PrintStream log, java.util.function.Consumer<Trainer> onStart,
                     dev.linea.onnx.OnnxModule init, Path initFile) throws IOException {
        Path runDir = out != null ? out : Path.of("runs", s.model() + "-" + s.data() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(runDir.resolve(RunFiles.STATE))) {
            throw new IllegalArgumentException(runDir + " already holds a training run: continue it with --resume "
                    + runDir + ", or choose another --out");
        }
        RunData data = RunData.load(s); // before anything is written: bad data is refused with the folder untouched
        if (s.own() != null) {
            s = s.withData(data);
        }
        checkModel(s);
        Files.createDirectories(runDir);
        deleteLeftovers(runDir, log);
        Linea.setNumThreads(s.threads());
        Linea.manualSeed(s.seed());
        Module model = model(s);
        if (init != null) {
            OnnxInit.load(init, model, s.model(), initFile.toString());
            log.println("Starting from the weights of " + initFile);
        }
        Optimizer opt = optimizer(s, model);
        s.save(runDir);
        return run(s, runDir, model, opt, TrainingProgress.start(), s.epochs(), new CsvLogger(runDir.resolve(RunFiles.METRICS)),
                log, onStart, data);
    }

    /** Continues the run in {@code runDir}; {@code epochs} (if given) extends it. */
    public static int resume(Path runDir, Integer epochs, Integer threads, PrintStream log) throws IOException {
        return resume(runDir, epochs, threads, java.util.Map.of(), log);
    }

    /**
     * As {@link #resume(Path, Integer, Integer, PrintStream)}, with the other options the command line gave
     * (option name to typed value), checked against the run's settings by {@link ResumeOptions}: a conflict
     * is refused before anything is read or written.
     */
    public static int resume(Path runDir, Integer epochs, Integer threads, java.util.Map<String, Object> options,
                             PrintStream log) throws IOException {
        return resume(runDir, epochs, threads, options, log, trainer -> { });
    }

    /** As {@link #resume(Path, Integer, Integer, PrintStream)}; {@code onStart} sees the trainer first (tests stop it). */
    static int resume(Path runDir, Integer epochs, Integer threads, PrintStream log,
                      java.util.function.Consumer<Trainer> onStart) throws IOException {
        return resume(runDir, epochs, threads, java.util.Map.of(), log, onStart);
    }

    private static int resume(Path runDir, Integer epochs, Integer threads, java.util.Map<String, Object> options,
                              PrintStream log, java.util.function.Consumer<Trainer> onStart) throws IOException {
        TrainSettings s = ResumeOptions.apply(TrainSettings.load(runDir), options, runDir, log);
        int planned = s.epochs();
        if (epochs != null) {
            s = s.withEpochs(epochs);
        }
        if (threads != null) {
            s = s.withThreads(threads);
        }
        Linea.setNumThreads(s.threads());
        Module model = model(s);
        Optimizer opt = optimizer(s, model);
        Path file = runDir.resolve(RunFiles.STATE);
        TrainingProgress state = Checkpoints.resume(file, model, opt);
        if (state.batch() > 0 && state.generator() == null) {
            throw new SafeTensorsException(file.toString(), "stopped at batch " + state.batch()
                    + " of an epoch but holds no generator state to continue it with");
        }
        if (state.epoch() > s.epochs()) {
            log.printf(Locale.ROOT, "%s already finished %d epochs; pass --epochs N (N > %d) to train further.%n",
                    runDir, state.epoch() - 1, state.epoch() - 1);
            return 0;
        }
        s.save(runDir);
        log.printf(Locale.ROOT, "Resuming %s at epoch %d, batch %d%n", runDir, state.epoch(), state.batch());
        CsvLogger metrics = CsvLogger.resume(runDir.resolve(RunFiles.METRICS), state.epoch(), log);
        deleteLeftovers(runDir, log);
        return run(s, runDir, model, opt, state, planned, metrics, log, onStart, RunData.load(s));
    }

    /** Deletes the temporary files of a save that was killed (only AtomicFiles' own, only in the run folder). */
    private static void deleteLeftovers(Path runDir, PrintStream log) throws IOException {
        List<String> deleted = AtomicFiles.deleteLeftovers(runDir);
        if (!deleted.isEmpty()) {
            log.printf(Locale.ROOT, "Deleted %d temporary file%s left in %s by a save that was interrupted: %s%n",
                    deleted.size(), deleted.size() == 1 ? "" : "s", runDir, String.join(", ", deleted));
        }
    }

    /** {@code planned}: the epochs the schedule's saved state was planned for (differs on a resume with --epochs). */
    private static int run(TrainSettings s, Path runDir, Module model, Optimizer opt, TrainingProgress state, int planned,
                           CsvLogger metrics, PrintStream log, java.util.function.Consumer<Trainer> onStart,
                           RunData data) throws IOException {
        var train = data.train();
        int stepsPerEpoch = (train.size() + s.batchSize() - 1) / s.batchSize();
        Schedule schedule = new Schedule(s, opt, model, stepsPerEpoch);
        if (!state.scheduler().isEmpty()) {
            try {
                schedule.load(Json.write(state.scheduler()));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new SafeTensorsException(runDir.resolve(RunFiles.STATE).toString(), "the scheduler state does not "
                        + "fit --scheduler " + s.scheduler() + ": " + e.getMessage());
            }
        }
        String fitted = schedule.fitLength(planned);
        if (fitted != null) {
            log.println(fitted);
        }
        log.printf(Locale.ROOT, "Training %s (%,d parameters) on %s%n", s.model(), model.parameterCount(), data.description());
        log.printf(Locale.ROOT, "%d epochs, batch %d, %s lr %s%s, dropout %s, seed %d, %d thread%s, kernels %s%n",
                s.epochs(), s.batchSize(), s.optimizer(), s.lr(),
                "none".equals(s.scheduler().text()) ? "" : " (" + s.scheduler().text() + " schedule)",
                s.dropout() + (s.augmentShift() > 0 ? ", random shifts up to " + s.augmentShift() + " px" : ""), s.seed(),
                s.threads(), s.threads() == 1 ? "" : "s", Linea.backend());
        log.println("Run folder: " + runDir);
        Trainer trainer = new Trainer(s, runDir, model, opt, schedule, data, log);
        onStart.accept(trainer);
        Thread hook = new Thread(() -> {
            trainer.requestStop();
            try {
                trainer.awaitStopped(60_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "linea-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        TrainingProgress end;
        try {
            end = trainer.run(state, metrics);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for the save above.
            }
        }
        if (end.epoch() > s.epochs() || end.batch() == 0) {
            List<CsvLogger.Row> rows = metrics.rows();
            if (!rows.isEmpty()) {
                CsvLogger.Row last = rows.getLast();
                log.printf(Locale.ROOT, "Done: test accuracy %.2f%% after %d epochs. Model: %s%n", last.testAccuracy() * 100,
                        last.epoch(), runDir.resolve(RunFiles.MODEL));
                List<String> pictures = java.util.stream.Stream.of(RunFiles.CURVES, RunFiles.CONFUSION, RunFiles.WEIGHTS,
                        RunFiles.PREDICTIONS).map(runDir::resolve).filter(Files::exists).map(Path::toString).toList();
                if (!pictures.isEmpty()) {
                    log.printf(Locale.ROOT, "Pictures: %s%n", String.join(", ", pictures));
                }
                log.printf(Locale.ROOT, "Evaluate: ./linea eval %s%s%n", runDir, data.testImage() == null ? ""
                        : "    Predict: ./linea predict " + runDir + " IMAGE.png");
            }
        }
        return 0;
    }
}
