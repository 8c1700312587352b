package dev.linea.cli.train;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * Everything that defines a training run, saved as {@code settings.properties} in the run folder so the
 * run can be reproduced, resumed and evaluated.
 *
 * @param data the data set actually used: fashion-mnist, mnist or sample
 * @param dataDir an explicit data folder, or null to search the usual places
 * @param scheduler learning-rate schedule spec ("none", "cosine", "step:5:0.5", ...), checked against the epochs
 * @param clipGradNorm maximum total gradient norm, 0 for no clipping
 * @param earlyStopping patience in epochs without a better test loss, 0 for none
 * @param augmentShift training images are moved by up to this many pixels at random (0: no augmentation)
 * @param mean pixel mean used to normalise inputs (after scaling to [0, 1])
 * @param std pixel standard deviation used to normalise inputs
 * @param own the user's own data ({@code data} is {@code csv:FILE} or {@code folder:DIR}); null for the built-in sets
 */
public record TrainSettings(String model, String data, String dataDir, int epochs, int batchSize, String optimizer,
                            double lr, double weightDecay, long seed, int threads, float dropout, ScheduleSpec scheduler,
                            double clipGradNorm, int earlyStopping, int augmentShift, float mean, float std,
                            OwnData own) {

    public static final String FILE = "settings.properties";

    /** The built-in data sets' names; any other data is {@code csv:FILE} or {@code folder:DIR}. */
    static final List<String> BUILT_IN = List.of("fashion-mnist", "mnist", "sample");

    /**
     * How a run reads the user's own data ({@code --data csv:FILE} or {@code folder:DIR}), and what the data gave
     * when the run started (the model is built from it; resume and eval read the data with the same classes).
     *
     * @param label the CSV column holding the classes (null for folders)
     * @param testSplit the fraction held out for testing (seeded) when the data has no test part
     * @param imageSize {@code HxW} to resize a folder's images to, null for the first image's size
     * @param features the model's inputs (feature columns, or H × W pixels); 0 until the data is read
     * @param classNames the classes in index order; empty until the data is read
     */
    public record OwnData(String label, double testSplit, String imageSize, int features, List<String> classNames) {
        public OwnData {
            classNames = List.copyOf(classNames);
            if (!(testSplit > 0 && testSplit < 1)) {
                throw new IllegalArgumentException("--test-split must be between 0 and 1 (exclusive), got " + testSplit);
            }
            if (imageSize != null) {
                imageRows(imageSize); // checks the form
            }
        }

        /** The data as read: its input count, classes and (images) size. */
        OwnData read(int features, List<String> classNames, String imageSize) {
            return new OwnData(label, testSplit, imageSize, features, classNames);
        }

        /** H of an {@code HxW} size. */
        static int imageRows(String size) {
            return imageSide(size, 0);
        }

        /** W of an {@code HxW} size. */
        static int imageCols(String size) {
            return imageSide(size, 1);
        }

        private static int imageSide(String size, int i) {
            String[] p = size.split("x", -1);
            try {
                int v = Integer.parseInt(p[p.length == 2 ? i : 0]);
                if (p.length == 2 && v >= 1 && v <= 4096) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("--image-size must be HxW (e.g. 28x28, each 1..4096), got '" + size + "'");
        }
    }

    public TrainSettings {
        if (own == null && !BUILT_IN.contains(data)) {
            throw new IllegalArgumentException("data '" + data + "' needs the settings of one's own data");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        scheduler.checkRunLength(epochs);
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        }
        float32("--lr", lr);
        if ((float) lr == 0) {
            throw new IllegalArgumentException("--lr " + lr + " rounds to 0 in float32, in which training runs (smallest "
                    + "positive " + Float.MIN_VALUE + ")");
        }
        double peak = LrSchedule.peakLr(scheduler, lr, epochs);
        if (peak > Float.MAX_VALUE) {
            throw new IllegalArgumentException("--scheduler " + scheduler.text() + " raises --lr " + lr + " to " + peak
                    + " within the run's " + epochs + " epochs, beyond float32, in which training runs (at most "
                    + Float.MAX_VALUE + ")");
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
        }
        float32("--weight-decay", weightDecay);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        if (!(clipGradNorm >= 0)) {
            throw new IllegalArgumentException("--clip-grad-norm must be >= 0, got " + clipGradNorm);
        }
        float32("--clip-grad-norm", clipGradNorm);
        if (augmentShift < 0 || augmentShift > 8) {
            throw new IllegalArgumentException("--augment-shift must be between 0 and 8 pixels, got " + augmentShift);
        }
        if (earlyStopping < 0) {
            throw new IllegalArgumentException("--early-stopping must be >= 0, got " + earlyStopping);
        }
    }

    /**
     * Refuses a number that is finite as the double it was read as but infinite as the float32 the model and
     * optimizer compute with (1e300 would silently turn every weight into NaN).
     */
    private static void float32(String option, double v) {
        if (Math.abs(v) > Float.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must fit float32, in which training runs (at most "
                    + Float.MAX_VALUE + "), got " + v);
        }
    }

    public TrainSettings withEpochs(int e) {
        return new TrainSettings(model, data, dataDir, e, batchSize, optimizer, lr, weightDecay, seed, threads, dropout,
                scheduler, clipGradNorm, earlyStopping, augmentShift, mean, std, own);
    }

    public TrainSettings withThreads(int t) {
        return new TrainSettings(model, data, dataDir, epochs, batchSize, optimizer, lr, weightDecay, seed, t, dropout,
                scheduler, clipGradNorm, earlyStopping, augmentShift, mean, std, own);
    }

    /** The same run reading its data from {@code dir} (the files moved). */
    public TrainSettings withDataDir(String dir) {
        return new TrainSettings(model, data, dir, epochs, batchSize, optimizer, lr, weightDecay, seed, threads, dropout,
                scheduler, clipGradNorm, earlyStopping, augmentShift, mean, std, own);
    }

    /** The same run with what its own data gave: inputs, classes, and the pixel mean and deviation of images. */
    TrainSettings withData(RunData d) {
        return new TrainSettings(model, data, dataDir, epochs, batchSize, optimizer, lr, weightDecay, seed, threads, dropout,
                scheduler, clipGradNorm, earlyStopping, augmentShift, d.mean(), d.std(),
                own.read(d.features(), d.classNames(), d.imageSize()));
    }

    /** The file or folder of {@code csv:FILE} or {@code folder:DIR} data. */
    Path ownPath() {
        return Path.of(data.substring(data.indexOf(':') + 1));
    }

    /** Whether the data is a CSV table (not images). */
    boolean csv() {
        return data.startsWith("csv:");
    }

    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("model", model);
        p.setProperty("data", data);
        if (dataDir != null) {
            p.setProperty("data_dir", dataDir);
        }
        p.setProperty("epochs", Integer.toString(epochs));
        p.setProperty("batch_size", Integer.toString(batchSize));
        p.setProperty("optimizer", optimizer);
        p.setProperty("lr", Double.toString(lr));
        p.setProperty("weight_decay", Double.toString(weightDecay));
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("threads", Integer.toString(threads));
        p.setProperty("dropout", Float.toString(dropout));
        p.setProperty("scheduler", scheduler.text());
        p.setProperty("clip_grad_norm", Double.toString(clipGradNorm));
        p.setProperty("early_stopping", Integer.toString(earlyStopping));
        p.setProperty("augment_shift", Integer.toString(augmentShift));
        p.setProperty("normalize_mean", Float.toString(mean));
        p.setProperty("normalize_std", Float.toString(std));
        if (own != null) {
            if (own.label() != null) {
                p.setProperty("label", own.label());
            }
            p.setProperty("test_split", Double.toString(own.testSplit()));
            if (own.imageSize() != null) {
                p.setProperty("image_size", own.imageSize());
            }
            p.setProperty("features", Integer.toString(own.features()));
            p.setProperty("class_names", dev.linea.internal.io.Json.write(own.classNames()));
        }
        return p;
    }

    /** Writes the settings file atomically. */
    void save(Path runDir) throws IOException {
        StringWriter w = new StringWriter();
        toProperties().store(w, "Linea training run: ./linea train --resume " + runDir + " continues it");
        dev.linea.internal.io.AtomicFiles.write(runDir.resolve(FILE), w.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a run's settings. Anything wrong — a missing key, a value that is not a number, an out-of-range
     * value, an unknown model, data set or optimizer, bytes that are not a properties file — is one
     * {@link IOException} line starting with the file's name.
     */
    public static TrainSettings load(Path runDir) throws IOException {
        Path f = runDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new java.io.FileNotFoundException(runDir + " is not a Linea run folder: " + f + " is missing");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) { // IllegalArgumentException: a malformed unicode escape
            throw new IOException(f + ": not a readable settings file (" + e.getMessage() + ")");
        }
        String setting = null;
        try {
            String model = oneOf(p, setting = "model", Training.MODELS);
            String data = req(p, setting = "data");
            OwnData own = null;
            if (data.startsWith("csv:") || data.startsWith("folder:")) {
                own = ownData(p, data);
            } else {
                oneOf(p, "data", BUILT_IN);
            }
            String optimizer = oneOf(p, setting = "optimizer", List.of("adam", "adamw", "sgd"));
            int epochs = Integer.parseInt(req(p, setting = "epochs"));
            int batchSize = Integer.parseInt(req(p, setting = "batch_size"));
            double lr = Double.parseDouble(req(p, setting = "lr"));
            double weightDecay = Double.parseDouble(req(p, setting = "weight_decay"));
            long seed = Long.parseLong(req(p, setting = "seed"));
            int threads = Integer.parseInt(req(p, setting = "threads"));
            float dropout = Float.parseFloat(req(p, setting = "dropout"));
            ScheduleSpec scheduler = ScheduleSpec.parse(p.getProperty(setting = "scheduler", "none"));
            double clip = Double.parseDouble(p.getProperty(setting = "clip_grad_norm", "0"));
            int earlyStopping = Integer.parseInt(p.getProperty(setting = "early_stopping", "0"));
            int augmentShift = Integer.parseInt(p.getProperty(setting = "augment_shift", "0"));
            float mean = Float.parseFloat(req(p, setting = "normalize_mean"));
            float std = Float.parseFloat(req(p, setting = "normalize_std"));
            setting = null;
            if (!(std > 0) || !Float.isFinite(mean) || Float.isInfinite(std)) {
                throw new IllegalArgumentException("normalize_mean " + mean + " and normalize_std " + std
                        + " must be finite, the deviation positive");
            }
            return new TrainSettings(model, data, p.getProperty("data_dir"), epochs, batchSize, optimizer, lr,
                    weightDecay, seed, threads, dropout, scheduler, clip, earlyStopping, augmentShift, mean, std, own);
        } catch (NumberFormatException e) {
            throw new IOException(f + ": '" + setting + "' is not a number: '" + p.getProperty(setting) + "'");
        } catch (IllegalArgumentException e) {
            throw new IOException(f + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static OwnData ownData(Properties p, String data) {
        String label = p.getProperty("label");
        if (data.startsWith("csv:") && label == null) {
            throw new IllegalArgumentException("'label' is missing (the CSV column of the classes)");
        }
        int features;
        double testSplit;
        try {
            features = Integer.parseInt(req(p, "features"));
            testSplit = Double.parseDouble(req(p, "test_split"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'features' and 'test_split' must be numbers, got '"
                    + p.getProperty("features") + "' and '" + p.getProperty("test_split") + "'");
        }
        if (features < 1) {
            throw new IllegalArgumentException("'features' must be at least 1, got " + features);
        }
        Object names;
        try {
            names = dev.linea.internal.io.Json.parse(req(p, "class_names"));
        } catch (dev.linea.internal.io.Json.ParseException e) {
            throw new IllegalArgumentException("'class_names' is not a JSON list: " + e.getMessage());
        }
        if (!(names instanceof List<?> l) || l.size() < 2 || !l.stream().allMatch(String.class::isInstance)) {
            throw new IllegalArgumentException("'class_names' must be a JSON list of at least 2 names");
        }
        return new OwnData(label, testSplit, p.getProperty("image_size"), features,
                (List<String>) l);
    }

    private static String oneOf(Properties p, String key, List<String> allowed) {
        String v = req(p, key);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException("unknown " + key + " '" + v + "' (expected " + String.join(", ", allowed) + ")");
        }
        return v;
    }

    private static String req(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        return v;
    }
}
