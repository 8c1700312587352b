package dev.linea.cli;

import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.data.GrayImage;
import dev.linea.data.ImageFiles;
import dev.linea.internal.io.Json;
import dev.linea.onnx.Onnx;
import dev.linea.onnx.OnnxModule;
import dev.linea.onnx.TypeProto;
import dev.linea.onnx.ValueInfoProto;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command line on ONNX files: {@code linea summary model.onnx} and {@code linea predict model.onnx IMAGE}.
 * Preprocessing and class names come from the file's {@code metadata_props} as Linea's export writes them
 * ({@code linea.preprocessing.mean}/{@code .std}, {@code linea.class_names}); without them the pixels are
 * taken in [0, 1] and the classes are numbered.
 */
final class OnnxFiles {
    // The metadata keys of Onnx's export (Onnx.META_MEAN, META_STD, META_CLASS_NAMES).
    static final String MEAN = "linea.preprocessing.mean", STD = "linea.preprocessing.std",
            CLASSES = "linea.class_names";

    private OnnxFiles() {}

    static boolean isOnnx(String arg) {
        return arg != null && arg.toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    /** Inputs, outputs, opset, producer, ops, metadata and the weights with their state-dict keys. */
    static String summary(Path file) throws IOException {
        OnnxModule m = Onnx.load(file);
        StringBuilder sb = new StringBuilder();
        var model = m.model();
        sb.append(file).append(": ONNX IR ").append(model.irVersion()).append(", opset ").append(model.defaultOpset());
        if (!model.producerName().isEmpty()) {
            sb.append(", made by ").append(model.producerName()).append(' ').append(model.producerVersion());
        }
        sb.append('\n');
        for (ValueInfoProto v : model.graph().inputs()) {
            if (m.inputNames().contains(v.name())) {
                sb.append("input   ").append(v.name()).append(' ').append(type(v.type())).append('\n');
            }
        }
        for (ValueInfoProto v : model.graph().outputs()) {
            sb.append("output  ").append(v.name()).append(' ').append(type(v.type())).append('\n');
        }
        sb.append("nodes   ").append(model.graph().nodes().size()).append(": ");
        List<String> ops = new ArrayList<>();
        m.opCounts().forEach((op, n) -> ops.add(n == 1 ? op : op + " ×" + n));
        sb.append(String.join(", ", ops)).append('\n');
        m.metadata().forEach((k, v) -> sb.append("meta    ").append(k).append(" = ").append(v).append('\n'));
        sb.append('\n').append(String.format(Locale.ROOT, "%-28s %-24s %-18s %12s%n", "weight (state-dict key)",
                "ONNX name", "shape", "parameters"));
        Map<String, Tensor> state = m.stateDict();
        var trainable = m.namedParameters();
        m.stateDictKeys().forEach((onnx, key) -> {
            Tensor t = state.get(key);
            sb.append(String.format(Locale.ROOT, "%-28s %-24s %-18s %12s%n", key, onnx.equals(key) ? "" : onnx,
                    Arrays.toString(t.shape()), trainable.containsKey(key) ? String.format(Locale.ROOT, "%,d", t.numel())
                            : "(buffer)"));
        });
        sb.append(String.format(Locale.ROOT, "Total parameters: %,d (all trainable)%n", m.parameterCount()));
        return sb.toString();
    }

    private static String type(TypeProto t) {
        if (t == null) {
            return "(no type)";
        }
        if (t.kind() != TypeProto.Kind.TENSOR) {
            return t.kind().name().toLowerCase(Locale.ROOT);
        }
        String elem = dev.linea.onnx.DataType.describe(t.elemType()).toLowerCase(Locale.ROOT);
        return elem + (t.shape() == null ? "[?]" : t.shape().toString().replace(" ", ""));
    }

    /** The top classes of one image under the model in {@code file}. */
    static String predict(Path file, Path image, int top) throws IOException {
        OnnxModule m = Onnx.load(file);
        Map<String, String> meta = m.metadata();
        int[] shape = inputShape(m, file);
        int h = shape.length == 4 ? shape[2] : 28, w = shape.length == 4 ? shape[3] : 28;
        if (shape.length == 4 && shape[1] != 1) {
            throw new IllegalArgumentException(file + ": the model takes " + shape[1]
                    + " channels; linea predict reads grayscale images");
        }
        if (shape.length == 2 && shape[1] != 28 * 28) {
            throw new IllegalArgumentException(file + ": input " + Arrays.toString(shape) + " is not an image");
        }
        GrayImage img = ImageFiles.grayscale(image, h, w);
        float mean = first(meta.get(MEAN), 0f), std = first(meta.get(STD), 1f);
        StringBuilder sb = new StringBuilder();
        if (!meta.containsKey(MEAN)) {
            sb.append("(no preprocessing in the file's metadata: pixels in [0, 1])\n");
        }
        float[] px = new float[h * w];
        double border = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = img.pixel(y, x) / 255f;
                if (y == 0 || x == 0 || y == h - 1 || x == w - 1) {
                    border += px[y * w + x];
                }
            }
        }
        if (border / (2 * (h + w) - 4) > 0.5) { // a light background: the training images are dark
            for (int i = 0; i < px.length; i++) {
                px[i] = 1f - px[i];
            }
            sb.append("(light background: inverted to match the training images)\n");
        }
        for (int i = 0; i < px.length; i++) {
            px[i] = (px[i] - mean) / std;
        }
        int[] in = shape.length == 4 ? new int[] {1, 1, h, w} : new int[] {1, h * w};
        float[] out;
        try (var g = GradMode.noGrad()) {
            out = m.forward(Tensor.wrap(px, in)).reshape(-1).toFloatArray();
        }
        float[] probs = probabilities(out, sb);
        List<String> names = classNames(meta.get(CLASSES), probs.length);
        Integer[] order = new Integer[probs.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> -probs[i]));
        for (int k = 0; k < Math.min(Math.max(top, 1), probs.length); k++) {
            int c = order[k];
            sb.append(String.format(Locale.ROOT, "%-12s %6.2f%%%n", names.get(c), probs[c] * 100));
        }
        return sb.toString();
    }

    /** The graph input's shape with the batch set to 1 (symbolic sizes other than the batch are refused). */
    private static int[] inputShape(OnnxModule m, Path file) {
        if (m.inputNames().size() != 1) {
            throw new IllegalArgumentException(file + ": the model has " + m.inputNames().size() + " inputs; "
                    + "linea predict needs one");
        }
        for (ValueInfoProto v : m.model().graph().inputs()) {
            if (v.name().equals(m.inputNames().get(0)) && v.type() != null && v.type().shape() != null) {
                List<TypeProto.Dimension> d = v.type().shape();
                int[] s = new int[d.size()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = i == 0 ? 1 : (int) d.get(i).value();
                    if (s[i] <= 0) {
                        throw new IllegalArgumentException(file + ": input dimension " + i + " is " + d.get(i)
                                + "; linea predict needs fixed image sizes");
                    }
                }
                if (s.length == 4 || s.length == 2) {
                    return s;
                }
                throw new IllegalArgumentException(file + ": input of rank " + s.length + " is not (N, C, H, W) or (N, H·W)");
            }
        }
        return new int[] {1, 1, 28, 28};
    }

    /** Softmax of logits; outputs that already are probabilities (a final Softmax) are kept. */
    private static float[] probabilities(float[] out, StringBuilder sb) {
        double sum = 0;
        boolean unit = true;
        for (float v : out) {
            sum += v;
            unit &= v >= 0 && v <= 1;
        }
        if (unit && Math.abs(sum - 1) < 1e-4) {
            sb.append("(the outputs already sum to 1: read as probabilities)\n");
            return out;
        }
        return Tensor.of(out, out.length).softmax(0).toFloatArray();
    }

    private static float first(String csv, float dflt) {
        if (csv == null || csv.isBlank()) {
            return dflt;
        }
        return Float.parseFloat(csv.split(",")[0].trim());
    }

    private static List<String> classNames(String json, int n) {
        List<String> names = new ArrayList<>();
        if (json != null) {
            try {
                if (Json.parse(json) instanceof List<?> l && l.size() == n) {
                    l.forEach(o -> names.add(String.valueOf(o)));
                    return names;
                }
            } catch (Json.ParseException e) {
                // not Linea's metadata: number the classes
            }
        }
        for (int i = 0; i < n; i++) {
            names.add("class " + i);
        }
        return names;
    }
}
