package dev.linea.onnx;

import dev.linea.Tensor;
import dev.linea.internal.io.Json;
import dev.linea.nn.Module;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * ONNX models in Linea, like {@code torch.onnx}. {@link #load} imports a model file as an {@link OnnxModule}: a
 * Linea module whose forward pass evaluates the graph with Linea's differentiable ops and whose initializers
 * are trainable, named parameters, so it can be fine-tuned. {@link #export} writes a Linea module as a model
 * file. The file format itself is {@link OnnxCodec}.
 *
 * <p>Every node's op version is resolved from the model's opset (the newest since-version at or below it);
 * an op, version or attribute Linea does not implement is refused when loading, naming the node, the op and
 * the version, never guessed. Supported ops: see {@link #supportedOps()}.
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

    // ---------------------------------------------------------------- export

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

    // ---------------------------------------------------------------- import

    /** The ONNX operators {@link #load} imports (default domain), sorted. */
    public static Set<String> supportedOps() {
        return OpVersions.ops();
    }

    /**
     * Imports the model at {@code path} (external data relative to its folder).
     *
     * @throws OnnxFormatException naming the file: a broken file, or a model Linea cannot import (and why)
     */
    public static OnnxModule load(Path path) throws IOException {
        return load(OnnxCodec.readModel(path), path.toString());
    }

    /** Imports a model already read; {@code source} names it in errors. */
    public static OnnxModule load(ModelProto model, String source) throws OnnxFormatException {
        try {
            return build(model, source);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new OnnxFormatException(source, e.getMessage());
        }
    }

    private static OnnxModule build(ModelProto model, String source) {
        GraphProto g = model.graph();
        long opset = model.defaultOpset();
        if (opset <= 0) {
            throw new IllegalArgumentException("the model imports no version of the default ONNX opset");
        }
        if (opset > OpVersions.NEWEST_OPSET) {
            throw new IllegalArgumentException("opset " + opset + " is newer than the newest Linea knows ("
                    + OpVersions.NEWEST_OPSET + ")");
        }
        if (g.sparseInitializers() > 0) {
            throw new IllegalArgumentException("sparse initializers are not supported");
        }
        Set<String> defined = new HashSet<>();
        Set<String> initNames = new LinkedHashSet<>();
        for (TensorProto t : g.initializers()) {
            if (t.name().isEmpty()) {
                throw new IllegalArgumentException("an initializer has no name");
            }
            if (!initNames.add(t.name())) {
                throw new IllegalArgumentException("initializer '" + t.name() + "' is defined twice");
            }
        }
        List<String> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.inputs()) {
            if (initNames.contains(v.name())) {
                continue; // IR < 4 lists initializers among the inputs too
            }
            if (v.type() != null && v.type().kind() != TypeProto.Kind.TENSOR && v.type().kind() != TypeProto.Kind.NONE) {
                throw new IllegalArgumentException("input '" + v.name() + "' is a " + v.type().kind()
                        + "; only tensor inputs are supported");
            }
            if (!defined.add(v.name())) {
                throw new IllegalArgumentException("input '" + v.name() + "' is listed twice");
            }
            inputs.add(v.name());
        }
        defined.addAll(initNames);

        List<OnnxModule.Step> steps = new ArrayList<>();
        Set<String> dataUse = new HashSet<>(), statUse = new HashSet<>();
        int index = 0;
        for (NodeProto n : g.nodes()) {
            String where = "node " + index++ + " '" + n.name() + "' (" + n.opType();
            if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
                throw new IllegalArgumentException(where + ", domain " + n.domain() + "): only the default ONNX domain "
                        + "is supported" + (model.functions() > 0 ? " (model-local functions are not)" : ""));
            }
            int version;
            try {
                version = OpVersions.resolve(n.opType(), opset);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ", opset " + opset + "): " + e.getMessage());
            }
            where += " v" + version + ")";
            Set<String> allowed = NodeOps.attributes(n.opType(), version);
            for (AttributeProto a : n.attributes()) {
                if (!allowed.contains(a.name())) {
                    throw new IllegalArgumentException(where + ": attribute '" + a.name() + "' is not supported"
                            + (allowed.isEmpty() ? "" : " (supported: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")"));
                }
            }
            checkOutputs(n, where);
            for (int i = 0; i < n.inputs().size(); i++) {
                String in = n.inputs().get(i);
                if (in.isEmpty()) {
                    continue;
                }
                if (!defined.contains(in)) {
                    throw new IllegalArgumentException(where + ": input '" + in + "' is not a graph input, an initializer "
                            + "or the output of an earlier node (dangling name, cycle, or nodes out of order)");
                }
                if (initNames.contains(in)) {
                    if (n.opType().equals("BatchNormalization") && (i == 3 || i == 4)) {
                        statUse.add(in);
                    } else if (!staticInput(n.opType(), i)) {
                        dataUse.add(in);
                    }
                }
            }
            if (n.opType().equals("Constant")) {
                NodeOps.constant(n); // refuse a bad constant when loading, not on the first forward
            }
            for (String out : n.outputs()) {
                if (!out.isEmpty() && !defined.add(out)) {
                    throw new IllegalArgumentException(where + ": output '" + out + "' is already defined");
                }
            }
            steps.add(new OnnxModule.Step(n, version));
        }
        List<String> outputs = new ArrayList<>();
        for (ValueInfoProto v : g.outputs()) {
            if (!defined.contains(v.name())) {
                throw new IllegalArgumentException("graph output '" + v.name() + "' is computed by no node");
            }
            outputs.add(v.name());
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("the graph has no outputs");
        }

        OnnxModule m = new OnnxModule(source, model, steps, inputs, outputs);
        for (TensorProto t : g.initializers()) {
            Value v = NodeOps.tensorValue(t);
            if (v.isFloat() && dataUse.contains(t.name())) {
                m.addWeight(t.name(), v.tensor, true);
            } else if (v.isFloat() && statUse.contains(t.name())) {
                m.addWeight(t.name(), v.tensor, false);
            } else {
                m.addConstant(t.name(), v);
            }
        }
        return m;
    }

    /** Inputs read as numbers (shapes, axes, scales, bounds), never trained. */
    private static boolean staticInput(String op, int i) {
        return switch (op) {
            case "Reshape", "Squeeze", "Unsqueeze", "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "Upsample",
                 "Gather" -> i == 1;
            case "Resize" -> i >= 1;
            case "Clip", "Dropout" -> i >= 1;
            default -> false;
        };
    }

    /** Ops with more outputs than Linea computes (MaxPool's Indices, BatchNormalization's training outputs). */
    private static void checkOutputs(NodeProto n, String where) {
        if (n.opType().equals("BatchNormalization") && NodeOps.intAttr(n, "training_mode", 0) != 0) {
            throw new IllegalArgumentException(where + ": training_mode=1 (batch statistics, updated running "
                    + "statistics as outputs) is not supported: Linea imports BatchNormalization for inference");
        }
        int max = switch (n.opType()) {
            case "Dropout" -> 2;
            default -> 1;
        };
        for (int i = max; i < n.outputs().size(); i++) {
            if (!n.outputs().get(i).isEmpty()) {
                throw new IllegalArgumentException(where + ": output " + i + " ('" + n.outputs().get(i)
                        + "') is not supported");
            }
        }
        if (n.outputs().isEmpty()) {
            throw new IllegalArgumentException(where + ": the node has no outputs");
        }
    }

    /** A float tensor read from a TensorProto file (an {@code input_0.pb} of ONNX's test data, say). */
    public static Tensor readTensor(Path path) throws IOException {
        TensorProto t = OnnxCodec.readTensor(path);
        try {
            return Tensor.of(t.toFloats(), t.shape());
        } catch (IllegalArgumentException e) {
            throw new OnnxFormatException(path.toString(), e.getMessage());
        }
    }
}
