package dev.linea.cli.train;

import dev.linea.autograd.GradMode;
import dev.linea.Tensor;
import dev.linea.data.GrayImage;
import dev.linea.data.ImageDataset;
import dev.linea.data.ImageFiles;
import dev.linea.data.Split;
import dev.linea.io.Checkpoints;
import dev.linea.nn.Module;
import dev.linea.onnx.ModelProto;
import dev.linea.onnx.Onnx;
import dev.linea.onnx.OnnxCodec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
        Module m = Models.create(s.model(), s.dropout());
        Checkpoints.loadModel(w, m);
        m.eval();
        return new RunModel(runDir, s, m, w);
    }

    public Path weights() {
        return weights;
    }

    /**
     * Writes the model as ONNX ({@link Onnx#export}: opset 17, dynamic batch, traced on two blank 28×28 images),
     * its metadata saying how to prepare an input (the run's mean and std) and the class names of its outputs
     * (logits, as {@code forward} returns them); returns the model written.
     */
    public ModelProto exportOnnx(Path out) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(Onnx.preprocessing(new float[] {settings.mean()},
                new float[] {settings.std()}, Training.classNames(settings)));
        meta.put("linea.model", settings.model());
        meta.put("linea.data", settings.data());
        ModelProto m = Onnx.exportModel(model, Tensor.zeros(2, 1, 28, 28), meta);
        OnnxCodec.write(m, out);
        return m;
    }

    public String describeTestSet() throws IOException {
        return Training.data(settings, Split.TEST).imageSet().describe();
    }

    /** Accuracy and the per-class report on the test split. */
    public String evaluateReport() throws IOException {
        ImageDataset test = Training.data(settings, Split.TEST);
        return Evaluation.of(model, test).report(test.classNames());
    }

    /** The top classes for one image file, one line each with its probability. */
    public String predictReport(Path image, int top) throws IOException {
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
        List<String> names = Training.classNames(settings);
        Integer[] order = new Integer[probs.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> -probs[i]));
        for (int k = 0; k < Math.min(Math.max(top, 1), probs.length); k++) {
            int c = order[k];
            sb.append(String.format(Locale.ROOT, "%-12s %6.2f%%%n", names.get(c), probs[c] * 100));
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
