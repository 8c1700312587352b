package dev.linea.cli.train;

import dev.linea.Tensor;
import dev.linea.data.ImageFiles;
import dev.linea.data.Split;
import dev.linea.inference.Prediction;
import dev.linea.inference.Predictor;
import dev.linea.io.Checkpoints;
import dev.linea.io.SafeTensors;
import dev.linea.io.SafeTensorsException;
import dev.linea.models.ModelCard;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Module;
import dev.linea.onnx.ModelProto;
import dev.linea.onnx.Onnx;
import dev.linea.onnx.OnnxCodec;
import dev.linea.train.Evaluation;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A trained run opened for use: its settings and its model with the saved weights loaded. */
public final class RunModel {
    private final Path runDir;
    private final TrainSettings settings;
    private final Module model;
    private final Path weights;
    private final Predictor predictor;

    private RunModel(Path runDir, TrainSettings settings, Module model, Path weights, Predictor predictor) {
        this.runDir = runDir;
        this.settings = settings;
        this.model = model;
        this.weights = weights;
        this.predictor = predictor;
    }

    /** Opens {@code runDir}, loading {@code model.safetensors} (or {@code best.safetensors}). */
    public static RunModel open(Path runDir, boolean best) throws IOException {
        TrainSettings s = TrainSettings.load(runDir);
        Path w = runDir.resolve(best ? RunFiles.BEST : RunFiles.MODEL);
        if (!Files.isRegularFile(w)) {
            throw new java.io.FileNotFoundException(w + " is missing" + (best ? " (it is kept only with --early-stopping)"
                    : ": the run has not finished an epoch yet"));
        }
        SafeTensors.Loaded file = Checkpoints.readModel(w);
        ModelCard card;
        try {
            // Runs of an older Linea have no card in their model file: their settings say the same.
            card = ModelCard.fromMetadata(file.metadata()).orElseGet(() -> Training.card(s));
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(w.toString(), e.getMessage());
        }
        Module m = Training.model(s);
        try {
            m.loadStateDict(file.tensors());
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(w.toString(), "does not fit the model: " + e.getMessage());
        }
        return new RunModel(runDir, s, m, w, new Predictor(m, card));
    }

    /** The run's model as a predictor: the weights, the normalisation and the class names of the run. */
    public Predictor predictor() {
        return predictor;
    }

    public Path weights() {
        return weights;
    }

    /**
     * Writes the model as ONNX ({@link Onnx#export}: opset 17, dynamic batch, traced on two blank inputs of the
     * card's input shape), its metadata saying how to prepare an input (the card's mean and std) and the class
     * names of its outputs (logits, as {@code forward} returns them), plus the model card itself
     * ({@value ModelCard#METADATA_KEY}); returns the model written.
     */
    public ModelProto exportOnnx(Path out) throws IOException {
        ModelCard card = predictor.card();
        ModelCard.Preprocessing pre = card.preprocessing();
        float[] mean = new float[pre.mean().size()], std = new float[mean.length];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = pre.mean(c);
            std[c] = pre.std(c);
        }
        Map<String, String> meta = new LinkedHashMap<>(Onnx.preprocessing(mean, std, card.classNames()));
        meta.putAll(card.toMetadata());
        int[] shape = card.inputShapeArray();
        int[] batch = new int[shape.length + 1];
        batch[0] = 2;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        ModelProto m = Onnx.exportModel(model, Tensor.zeros(batch), meta);
        OnnxCodec.write(m, out);
        return m;
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
        if (settings.own() != null && settings.csv()) {
            throw new IllegalArgumentException(runDir + " was trained on a CSV table (" + settings.ownPath() + "), not "
                    + "images: predict its rows with the library (Predictor on a float[] of features, or Trainer.predict)");
        }
        return predictReport(predictor, image, top);
    }

    /** The top classes {@code predictor} gives an image file, one line each with its probability. */
    public static String predictReport(Predictor predictor, Path image, int top) throws IOException {
        BufferedImage img = ImageFiles.read(image);
        StringBuilder sb = new StringBuilder();
        if (predictor.invertsImage(img)) {
            sb.append("(light background: inverted to match the training images)\n");
        }
        for (Prediction c : predictor.predict(img, Math.max(top, 1))) {
            sb.append(String.format(Locale.ROOT, "%-12s %6.2f%%%n", c.label(), c.probability() * 100));
        }
        return sb.toString();
    }
}
