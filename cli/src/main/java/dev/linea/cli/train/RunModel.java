package dev.linea.cli.train;

import dev.linea.autograd.GradMode;
import dev.linea.Tensor;
import dev.linea.data.GrayImage;
import dev.linea.data.ImageFiles;
import dev.linea.data.Split;
import dev.linea.io.Checkpoints;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Module;
import dev.linea.train.Evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** A trained run opened for use: its settings and its model with the saved weights loaded. */
public final class RunModel {
    private final Path runDir;
    private final TrainSettings settings;
    private final Module model;
    private final Path weights;

    private RunModel(Path runDir, TrainSettings settings, Module model, Path weights) {
        this.runDir = runDir;
        this.settings = settings;
        this.model = model;
        this.weights = weights;
    }

    /** Opens {@code runDir}, loading {@code model.safetensors} (or {@code best.safetensors}). */
    public static RunModel open(Path runDir, boolean best) throws IOException {
        TrainSettings s = TrainSettings.load(runDir);
        Path w = runDir.resolve(best ? RunFiles.BEST : RunFiles.MODEL);
        if (!Files.isRegularFile(w)) {
            throw new java.io.FileNotFoundException(w + " is missing" + (best ? " (it is kept only with --early-stopping)"
                    : ": the run has not finished an epoch yet"));
        }
        Module m = Models.create(s);
        Checkpoints.loadModel(w, m);
        m.eval();
        return new RunModel(runDir, s, m, w);
    }

    public Path weights() {
        return weights;
    }

    public String describeTestSet() throws IOException {
        if (settings.own() != null) {
            RunData d = RunData.load(settings);
            return String.format(Locale.ROOT, "the test part (%,d examples) of %s", d.test().size(), d.description());
        }
        return Training.data(settings, Split.TEST).imageSet().describe();
    }

    /** Accuracy and the per-class report on the test split. */
    public String evaluateReport() throws IOException {
        RunData d = RunData.load(settings);
        return report(Evaluation.of(model, new CrossEntropyLoss()::forward, d.test(), 1000), d.classNames());
    }

    /** Per-class precision, recall and F1 with their averages (the library's report), and the overall accuracy. */
    static String report(Evaluation e, List<String> classNames) {
        return e.confusion().report(classNames) + String.format(Locale.ROOT, "%naccuracy %.2f%% on %d images, mean "
                + "loss %.4f", e.accuracy() * 100, e.predicted().length, e.loss());
    }

    /** The top classes for one image file, one line each with its probability. */
    public String predictReport(Path image, int top) throws IOException {
        if (settings.own() != null) {
            return predictOwn(image, top);
        }
        GrayImage img = ImageFiles.grayscale(image, 28, 28);
        float[] px = new float[784];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                px[y * 28 + x] = img.pixel(y, x) / 255f;
            }
        }
        StringBuilder sb = new StringBuilder();
        if (meanBorder(px) > 0.5f) {
            for (int i = 0; i < px.length; i++) {
                px[i] = 1f - px[i];
            }
            sb.append("(light background: inverted to match the training images)\n");
        }
        float[] x = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            x[i] = (px[i] - settings.mean()) / settings.std();
        }
        float[] probs;
        try (var g = GradMode.noGrad()) {
            probs = model.forward(Tensor.wrap(x, 1, 1, 28, 28)).softmax(1).toFloatArray();
        }
        return ranked(probs, top, sb);
    }

    /** A run on one's own images: the picture at their size, grey, normalised as they were (no inversion). */
    private String predictOwn(Path image, int top) throws IOException {
        if (settings.csv()) {
            throw new IllegalArgumentException(runDir + " was trained on a CSV table (" + settings.ownPath() + "), not "
                    + "images: predict its rows with the library (dev.linea.train.Trainer.predict)");
        }
        int h = TrainSettings.OwnData.imageRows(settings.own().imageSize());
        int w = TrainSettings.OwnData.imageCols(settings.own().imageSize());
        GrayImage img = ImageFiles.grayscale(image, h, w);
        float[] x = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < w; c++) {
                x[y * w + c] = (img.pixel(y, c) / 255f - settings.mean()) / settings.std();
            }
        }
        float[] probs;
        try (var g = GradMode.noGrad()) {
            probs = model.forward(Tensor.wrap(x, 1, 1, h, w)).softmax(1).toFloatArray();
        }
        return ranked(probs, top, new StringBuilder());
    }

    /** One line per class, most likely first, the top {@code top} of them. */
    private String ranked(float[] probs, int top, StringBuilder sb) {
        List<String> names = Training.classNames(settings);
        int width = Math.max(12, names.stream().mapToInt(String::length).max().orElse(0));
        Integer[] order = new Integer[probs.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> -probs[i]));
        for (int k = 0; k < Math.min(Math.max(top, 1), probs.length); k++) {
            int c = order[k];
            sb.append(String.format(Locale.ROOT, "%-" + width + "s %6.2f%%%n", names.get(c), probs[c] * 100));
        }
        return sb.toString();
    }

    private static float meanBorder(float[] px) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < 28; i++) {
            s += px[i] + px[27 * 28 + i] + px[i * 28] + px[i * 28 + 27];
            n += 4;
        }
        return (float) (s / n);
    }
}
