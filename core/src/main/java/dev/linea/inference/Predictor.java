package dev.linea.inference;

import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.data.ImageFiles;
import dev.linea.data.Normalize;
import dev.linea.data.ToTensor;
import dev.linea.models.ModelCard;
import dev.linea.models.Models;
import dev.linea.nn.Module;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Classifies inputs with a trained model, the way its {@link ModelCard} says: an image is resized to the
 * card's input shape (gray for one channel, RGB for three), scaled to [0, 1], inverted when its border is
 * light and the card asks for it, and normalised with the card's mean and deviation; the logits' softmax
 * gives the top-k classes with their labels.
 * <pre>
 * Predictor p = Predictor.load(Path.of("runs/fcnn-fashion-mnist-20260101-120000"));  // or a .safetensors file
 * for (Prediction c : p.predict(Path.of("shoe.png"), 3)) {
 *     System.out.printf("%-12s %5.1f%%%n", c.label(), 100 * c.probability());
 * }
 * </pre>
 *
 * <p>Inputs given as a {@link Tensor} or {@code float[]} are values in [0, 1] (what {@code ToTensor} makes of
 * pixels) in the card's input shape, (C, H, W) row-major for images; the card's normalisation is applied to
 * them, never the inversion.
 *
 * <p><b>Threads.</b> One predictor serves any number of threads at once, with one copy of the model: every
 * call runs the model's {@code forward} in evaluation mode under {@link GradMode#noGrad()} (thread-local),
 * which records no autograd graph and writes nothing shared. Linea's layers keep no per-call state in the
 * module (their scratch buffers are per thread), and the kernels' worker pool takes concurrent callers, each
 * caller finishing its own work if the workers are busy with another's. The module must not be trained or
 * changed while predictions run. Several inputs at once go through one forward with {@link #predictBatch};
 * {@link BatchingPredictor} gathers concurrent single requests into such batches.
 */
public final class Predictor {
    /** The model file name in a {@code linea train} run folder. */
    public static final String RUN_MODEL_FILE = "model.safetensors";

    private final Module model;
    private final ModelCard card;
    private final Normalize normalize;
    private final int[] inputShape;
    private final int inputSize;

    /**
     * A predictor for {@code model}, described by {@code card} (a model built in code, or a file without a
     * card); puts the model in evaluation mode.
     */
    public Predictor(Module model, ModelCard card) {
        this.model = model;
        this.card = card;
        model.eval();
        ModelCard.Preprocessing p = card.preprocessing();
        this.normalize = new Normalize(floats(p.mean()), floats(p.std()));
        this.inputShape = card.inputShapeArray();
        this.inputSize = card.inputSize();
    }

    /**
     * A predictor for a model file with a model card ({@link Models#save}, {@code linea train}), or for a run
     * folder of {@code linea train} (its {@value #RUN_MODEL_FILE}).
     *
     * @throws FileNotFoundException when there is no such file, or the folder has no model file
     * @throws dev.linea.io.SafeTensorsException naming the file when it has no card or is damaged
     */
    public static Predictor load(Path path) throws IOException {
        Path file = path;
        if (Files.isDirectory(path)) {
            file = path.resolve(RUN_MODEL_FILE);
            if (!Files.isRegularFile(file)) {
                throw new FileNotFoundException(path + " is a folder without " + RUN_MODEL_FILE
                        + " (not a finished linea train run?)");
            }
        }
        Models.Loaded loaded = Models.loadWithCard(file);
        return new Predictor(loaded.module(), loaded.card());
    }

    /** The card this predictor follows. */
    public ModelCard card() {
        return card;
    }

    /** The model (in evaluation mode; not to be changed while predictions run). */
    public Module model() {
        return model;
    }

    // ---------------------------------------------------------------- one input

    /** The top {@code k} classes for one input in the card's input shape, values in [0, 1]. */
    public List<Prediction> predict(Tensor input, int k) {
        checkShape(input.shape(), false);
        return topK(forward(input.reshape(batchShape(1)))[0], k);
    }

    /** The top {@code k} classes for one input's values, row-major in the card's input shape, in [0, 1]. */
    public List<Prediction> predict(float[] input, int k) {
        return predict(tensor(input), k);
    }

    /** The top {@code k} classes for an image (any size; resized and preprocessed as the card says). */
    public List<Prediction> predict(BufferedImage image, int k) {
        return predict(imageTensor(image), k);
    }

    /**
     * The top {@code k} classes for an image file (PNG, JPEG, GIF, BMP), decoded with bounded memory.
     *
     * @throws dev.linea.data.ImageFormatException when it is not a readable image
     */
    public List<Prediction> predict(Path imageFile, int k) throws IOException {
        return predict(ImageFiles.read(imageFile), k);
    }

    /** Every class's probability for one input, in output order (see {@link #predict(Tensor, int)}). */
    public float[] probabilities(Tensor input) {
        checkShape(input.shape(), false);
        return forward(input.reshape(batchShape(1)))[0];
    }

    // ---------------------------------------------------------------- batches

    /** The top {@code k} classes of each input of a batch, shape (N, card's input shape...), in one forward. */
    public List<List<Prediction>> predictBatch(Tensor batch, int k) {
        checkShape(batch.shape(), true);
        checkK(k);
        List<List<Prediction>> out = new ArrayList<>();
        for (float[] p : forward(batch)) {
            out.add(topK(p, k));
        }
        return out;
    }

    /** As {@link #predictBatch(Tensor, int)} for inputs given as value arrays. */
    public List<List<Prediction>> predictBatch(List<float[]> inputs, int k) {
        return predictBatch(stack(inputs), k);
    }

    /** As {@link #predictBatch(Tensor, int)} for images. */
    public List<List<Prediction>> predictImages(List<BufferedImage> images, int k) {
        List<float[]> values = new ArrayList<>();
        for (BufferedImage image : images) {
            values.add(imageTensor(image).toFloatArray());
        }
        return predictBatch(stack(values), k);
    }

    // ---------------------------------------------------------------- preprocessing

    /**
     * An image as the model's input before normalisation: resized (bilinear) to the card's (C, H, W), gray
     * when C = 1, RGB when C = 3, values in [0, 1], inverted when the card asks for it and the border's
     * mean is above one half. Shape (C, H, W).
     *
     * @throws IllegalArgumentException when the card's input shape is not an image's
     */
    public Tensor imageTensor(BufferedImage image) {
        float[] v = pixels(image);
        if (inverts(v)) {
            for (int i = 0; i < v.length; i++) {
                v[i] = 1f - v[i];
            }
        }
        return Tensor.wrap(v, inputShape);
    }

    /** Whether {@link #imageTensor} inverts {@code image}: the card asks for it and its border is light. */
    public boolean invertsImage(BufferedImage image) {
        return inverts(pixels(image));
    }

    private boolean inverts(float[] pixels) {
        int c = inputShape.length == 3 ? inputShape[0] : 1;
        int h = inputShape[inputShape.length - 2], w = inputShape[inputShape.length - 1];
        return card.preprocessing().invertLightBackground() && borderMean(pixels, c, h, w) > 0.5f;
    }

    /** The image resized to the input shape, values in [0, 1], (C, H, W) row-major. */
    private float[] pixels(BufferedImage image) {
        int c, h, w;
        if (inputShape.length == 3) {
            c = inputShape[0];
            h = inputShape[1];
            w = inputShape[2];
        } else if (inputShape.length == 2) {
            c = 1;
            h = inputShape[0];
            w = inputShape[1];
        } else {
            throw new IllegalArgumentException("the model's input shape " + card.inputShape()
                    + " is not an image's (C, H, W): give it a tensor or values instead");
        }
        float[] v;
        if (c == 1) {
            v = new ToTensor().apply(ImageFiles.grayscale(image, h, w)).toFloatArray();
        } else if (c == 3) {
            v = rgb(image, h, w);
        } else {
            throw new IllegalArgumentException("the model takes images of " + c + " channels; Predictor makes "
                    + "gray (1) or RGB (3) images: give it a tensor instead");
        }
        return v;
    }

    private static float[] rgb(BufferedImage image, int h, int w) {
        BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        int[] argb = small.getRGB(0, 0, w, h, null, 0, w);
        float[] v = new float[3 * h * w];
        for (int i = 0; i < argb.length; i++) {
            v[i] = ((argb[i] >> 16) & 0xff) / 255f;
            v[h * w + i] = ((argb[i] >> 8) & 0xff) / 255f;
            v[2 * h * w + i] = (argb[i] & 0xff) / 255f;
        }
        return v;
    }

    /** The mean of the outermost pixels over all channels: above one half, a light background. */
    private static float borderMean(float[] v, int c, int h, int w) {
        double s = 0;
        long n = 0;
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (y == 0 || y == h - 1 || x == 0 || x == w - 1) {
                        s += v[base + y * w + x];
                        n++;
                    }
                }
            }
        }
        return (float) (s / n);
    }

    // ---------------------------------------------------------------- the model

    /** Softmax rows of the model's output for a batch (N, input shape...) in [0, 1], normalised here. */
    private float[][] forward(Tensor batch) {
        int n = batch.shape()[0];
        float[] flat;
        try (var g = GradMode.noGrad()) {
            Tensor x = normalize.apply(batch.reshape(normalizeShape(n))).reshape(batchShape(n));
            Tensor logits = model.forward(x);
            if (logits.dim() != 2 || logits.shape()[0] != n) {
                throw new IllegalStateException("the model returned shape " + Arrays.toString(logits.shape())
                        + " for " + n + " input(s); a classifier returns (N, classes)");
            }
            flat = logits.softmax(1).toFloatArray();
        }
        int classes = flat.length / Math.max(n, 1);
        if (!card.classNames().isEmpty() && classes != card.classNames().size()) {
            throw new IllegalStateException("the model has " + classes + " outputs but its card names "
                    + card.classNames().size() + " classes");
        }
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
        }
        return rows;
    }

    /** Ranks by probability, highest first (ties: lower index first); {@code k} above the class count is all. */
    private List<Prediction> topK(float[] p, int k) {
        checkK(k);
        Integer[] order = new Integer[p.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> p[a] != p[b] ? Float.compare(p[b], p[a]) : Integer.compare(a, b));
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, p.length); i++) {
            int c = order[i];
            out.add(new Prediction(card.label(c), c, p[c]));
        }
        return List.copyOf(out);
    }

    private static void checkK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
    }

    private void checkShape(int[] shape, boolean batched) {
        int[] one = batched && shape.length > 0 ? Arrays.copyOfRange(shape, 1, shape.length) : shape;
        if ((batched && shape.length == 0) || !Arrays.equals(one, inputShape)) {
            throw new IllegalArgumentException((batched ? "batch" : "input") + " of shape " + Arrays.toString(shape)
                    + " does not fit the model's input shape " + card.inputShape() + (batched ? " with a batch dimension "
                    + "in front, (N, " + card.inputShape().toString().substring(1).replace(']', ')')
                    : " (" + inputSize + " values)"));
        }
    }

    /** One input's values after the shape check, a copy: what {@link BatchingPredictor} queues. */
    float[] checkedValues(float[] values) {
        return tensor(values).toFloatArray();
    }

    /** As {@link #checkedValues(float[])} for a tensor. */
    float[] checkedValues(Tensor input) {
        checkShape(input.shape(), false);
        return input.toFloatArray();
    }

    private Tensor tensor(float[] values) {
        if (values.length != inputSize) {
            throw new IllegalArgumentException("input has " + values.length + " values, the model takes " + inputSize
                    + " (input shape " + card.inputShape() + ")");
        }
        return Tensor.wrap(values.clone(), inputShape);
    }

    private Tensor stack(List<float[]> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("predictBatch needs at least one input");
        }
        float[] all = new float[inputs.size() * inputSize];
        for (int i = 0; i < inputs.size(); i++) {
            float[] v = inputs.get(i);
            if (v.length != inputSize) {
                throw new IllegalArgumentException("input " + i + " has " + v.length + " values, the model takes "
                        + inputSize + " (input shape " + card.inputShape() + ")");
            }
            System.arraycopy(v, 0, all, i * inputSize, inputSize);
        }
        return Tensor.wrap(all, batchShape(inputs.size()));
    }

    private int[] batchShape(int n) {
        int[] s = new int[inputShape.length + 1];
        s[0] = n;
        System.arraycopy(inputShape, 0, s, 1, inputShape.length);
        return s;
    }

    /** (N, C, H, W) for Normalize: C the card's channels (a vector's features are channels), the rest flattened. */
    private int[] normalizeShape(int n) {
        if (inputShape.length == 3) {
            return batchShape(n);
        }
        int c = ModelCard.channels(card.inputShape());
        return new int[] {n, c, 1, inputSize / c};
    }

    private static float[] floats(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }
}
