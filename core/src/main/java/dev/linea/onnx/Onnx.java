package dev.linea.onnx;

import dev.linea.Tensor;
import dev.linea.internal.io.Json;
import dev.linea.nn.Module;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * ONNX files for Linea models, like {@code torch.onnx}.
 *
 * <p>{@link #export(Module, Tensor, Path)} records one eval-mode forward pass of {@code exampleInput} (shape
 * (N, ...)) and writes it as an ONNX model at opset 17 (IR version 8), which onnxruntime and other ONNX
 * runtimes run:
 * <ul>
 *   <li>the graph's input is called {@code input} and its output {@code output}; their first dimension is the
 *       dynamic dimension {@code batch}, so the file runs at any batch size (reshapes write {@code -1} there);
 *   <li>the module's parameters and buffers are initializers under their state-dict names ({@code fc1.weight},
 *       {@code bn1.running_mean}), so they match the weights a checkpoint or a PyTorch model has;
 *   <li>Linear → Gemm ({@code transB=1}), Conv2d → Conv, ConvTranspose2d → ConvTranspose, pools, BatchNorm in eval →
 *       BatchNormalization, view/flatten → Flatten/Reshape, GELU → {@code 0.5·x·(1 + erf(x/√2))}, Upsample →
 *       Resize; Dropout is left out. The full list is in {@code ExportOps}; any other op in the forward pass is
 *       refused by name;
 *   <li>{@code metadata_props} hold Linea's version ({@value #META_LINEA_VERSION}) and what {@code metadata}
 *       adds, e.g. {@link #preprocessing} (the input normalisation and the class names).
 * </ul>
 * The forward pass may be any code of Tensor and {@code F} ops ({@code x.view(-1, 784)} included); what it
 * computes outside them (from {@code toFloatArray()} values, say) is fixed into the trace or refused.
 */
public final class Onnx {
    /** Metadata key of the Linea version that wrote the file. */
    public static final String META_LINEA_VERSION = "linea.version";
    /** Metadata key of the per-channel mean subtracted from the input, comma-separated ({@code "0.1307"}). */
    public static final String META_MEAN = "linea.preprocessing.mean";
    /** Metadata key of the per-channel standard deviation the input is divided by, comma-separated. */
    public static final String META_STD = "linea.preprocessing.std";
    /** Metadata key of the class names of the output's columns, a JSON array of strings. */
    public static final String META_CLASS_NAMES = "linea.class_names";

    private Onnx() {}

    /** Exports {@code module} as traced on {@code exampleInput} to {@code path}, with Linea's version as metadata. */
    public static void export(Module module, Tensor exampleInput, Path path) throws IOException {
        export(module, exampleInput, path, Map.of());
    }

    /** {@link #export(Module, Tensor, Path)} with more {@code metadata_props} (in the map's order). */
    public static void export(Module module, Tensor exampleInput, Path path, Map<String, String> metadata)
            throws IOException {
        OnnxCodec.write(exportModel(module, exampleInput, metadata), path);
    }

    /** The model {@link #export} writes, in memory. */
    public static ModelProto exportModel(Module module, Tensor exampleInput, Map<String, String> metadata) {
        return Exporter.export(module, exampleInput, metadata);
    }

    /**
     * Metadata describing a model's input and output: {@code x → (x − mean)/std} per channel, and the class
     * names of its output (null: none).
     */
    public static Map<String, String> preprocessing(float[] mean, float[] std, List<String> classNames) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("preprocessing: " + mean.length + " means but " + std.length + " stds");
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put(META_MEAN, join(mean));
        m.put(META_STD, join(std));
        if (classNames != null) {
            m.put(META_CLASS_NAMES, Json.write(List.copyOf(classNames)));
        }
        return m;
    }

    private static String join(float[] v) {
        return IntStream.range(0, v.length).mapToObj(i -> String.format(Locale.ROOT, "%s", v[i]))
                .collect(Collectors.joining(","));
    }
}
