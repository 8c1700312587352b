package dev.linea.onnx;

import dev.linea.Tensor;
import dev.linea.onnx.ExportGraph.Value;
import dev.linea.onnx.ForwardTrace.Op;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static dev.linea.onnx.AttributeProto.ofFloat;
import static dev.linea.onnx.AttributeProto.ofInt;
import static dev.linea.onnx.AttributeProto.ofInts;
import static dev.linea.onnx.AttributeProto.ofString;

/**
 * How each traced Linea op becomes ONNX nodes at opset 17: the table of the exporter. Ops are named by their
 * autograd names ({@code AddmmBackward0} for a Linear layer, as PyTorch's {@code grad_fn}); each lowering
 * also works out which dimension of its output follows the dynamic batch dimension, so that reshapes keep it
 * dynamic ({@code -1} there) and the graph runs at any batch size.
 */
final class ExportOps {
    /** The Linea operations (by what a user calls) this table exports, for the README and error messages. */
    static final String SUPPORTED = "Linear (Gemm, or MatMul+Add beyond 2-D), matmul (MatMul), Conv2d (Conv), "
            + "ConvTranspose2d (ConvTranspose), MaxPool2d (MaxPool), AvgPool2d (AveragePool), AdaptiveAvgPool2d "
            + "(GlobalAveragePool or AveragePool when the sizes divide), BatchNorm1d/2d in eval (BatchNormalization), "
            + "Upsample nearest (Resize), view/reshape/flatten (Flatten or Reshape), transpose/permute (Transpose), "
            + "squeeze/unsqueeze, slice, cat (Concat), relu, leakyRelu, sigmoid, tanh, gelu (via Erf), softmax, "
            + "logSoftmax, add/sub/mul/div (tensor or scalar), neg, exp, log, sqrt, abs, erf, pow (scalar exponent), "
            + "clamp (Clip), sum/mean over dimensions (ReduceSum/ReduceMean); Dropout is left out (eval)";

    private final ExportGraph g;
    private final Function<Tensor, Value> values;

    ExportOps(ExportGraph g, Function<Tensor, Value> values) {
        this.g = g;
        this.values = values;
    }

    private Value in(Op op, int i) {
        return values.apply(op.inputs()[i]);
    }

    private boolean present(Op op, int i) {
        return op.inputs().length > i && op.inputs()[i] != null;
    }

    /** The nodes for {@code op}; returns the value holding its output. */
    Value lower(Op op) {
        int[] out = op.output().shape();
        return switch (op.name()) {
            case "AddmmBackward0" -> linear(op, out);
            case "MmBackward0", "BmmBackward0" -> binary("MatMul", in(op, 0), in(op, 1), out, matmulBatch(in(op, 0), in(op, 1), out.length));
            case "ConvolutionBackward0" -> convolution(op, out);
            case "MaxPool2DWithIndicesBackward0" -> spatial(op, "MaxPool", out, ofInts("kernel_shape", longs(op.intsAttr("kernel_size"))),
                    ofInts("strides", longs(op.intsAttr("stride"))), pads(op.intsAttr("padding")),
                    ofInts("dilations", longs(op.intsAttr("dilation"))), ofInt("ceil_mode", op.boolAttr("ceil_mode") ? 1 : 0));
            case "AvgPool2DBackward0" -> spatial(op, "AveragePool", out, ofInts("kernel_shape", longs(op.intsAttr("kernel_size"))),
                    ofInts("strides", longs(op.intsAttr("stride"))), pads(op.intsAttr("padding")),
                    ofInt("ceil_mode", op.boolAttr("ceil_mode") ? 1 : 0),
                    ofInt("count_include_pad", op.boolAttr("count_include_pad") ? 1 : 0));
            case "AdaptiveAvgPool2DBackward0" -> adaptiveAvgPool(op, out);
            case "UpsampleNearest2DBackward0" -> upsample(op, out);
            case "NativeBatchNormBackward0" -> batchNorm(op, out);
            case "ReluBackward0" -> unary("Relu", in(op, 0), out);
            case "LeakyReluBackward0" -> unary("LeakyRelu", in(op, 0), out, ofFloat("alpha", op.floatAttr("negative_slope")));
            case "SigmoidBackward0" -> unary("Sigmoid", in(op, 0), out);
            case "TanhBackward0" -> unary("Tanh", in(op, 0), out);
            case "GeluBackward0" -> gelu(in(op, 0), out);
            case "SoftmaxBackward0" -> unary("Softmax", in(op, 0), out, ofInt("axis", op.intAttr("dim")));
            case "LogSoftmaxBackward0" -> unary("LogSoftmax", in(op, 0), out, ofInt("axis", op.intAttr("dim")));
            case "NegBackward0" -> unary("Neg", in(op, 0), out);
            case "ExpBackward0" -> unary("Exp", in(op, 0), out);
            case "LogBackward0" -> unary("Log", in(op, 0), out);
            case "SqrtBackward0" -> unary("Sqrt", in(op, 0), out);
            case "AbsBackward0" -> unary("Abs", in(op, 0), out);
            case "ErfBackward0" -> unary("Erf", in(op, 0), out);
            case "AddBackward0" -> elementwise(op, "Add", out);
            case "SubBackward0" -> elementwise(op, "Sub", out);
            case "MulBackward0" -> elementwise(op, "Mul", out);
            case "DivBackward0" -> elementwise(op, "Div", out);
            case "RsubBackward1" -> binary("Sub", scalar(op.floatAttr("other")), in(op, 0), out, in(op, 0).batchAxis());
            case "PowBackward0" -> binary("Pow", in(op, 0), scalar(op.floatAttr("exponent")), out, in(op, 0).batchAxis());
            case "PowBackward1" -> binary("Pow", in(op, 0), in(op, 1), out, broadcastBatch(out.length, in(op, 0), in(op, 1)));
            case "ClampBackward1" -> clip(in(op, 0), out, g.constant(new float[] {op.floatAttr("min")}), g.constant(new float[] {op.floatAttr("max")}));
            case "ClampMinBackward0" -> clip(in(op, 0), out, g.constant(new float[] {op.floatAttr("min")}), "");
            case "ClampMaxBackward0" -> clip(in(op, 0), out, "", g.constant(new float[] {op.floatAttr("max")}));
            case "ViewBackward0" -> reshape(in(op, 0), out);
            case "CloneBackward0" -> in(op, 0);   // a copy: the same value in a graph
            case "TransposeBackward0" -> {
                Value x = in(op, 0);
                int[] perm = new int[x.rank()];
                Arrays.setAll(perm, i -> i);
                perm[op.intAttr("dim0")] = op.intAttr("dim1");
                perm[op.intAttr("dim1")] = op.intAttr("dim0");
                yield transpose(x, perm, out);
            }
            case "PermuteBackward0" -> transpose(in(op, 0), op.intsAttr("dims"), out);
            case "SqueezeBackward1" -> squeeze(op, out);
            case "UnsqueezeBackward0" -> {
                Value x = in(op, 0);
                int d = op.intAttr("dim");
                yield g.node("Unsqueeze", List.of(x.name(), g.constantLongs(d)), out,
                        x.batchAxis() >= 0 && d <= x.batchAxis() ? x.batchAxis() + 1 : x.batchAxis());
            }
            case "SliceBackward0" -> slice(op, out);
            case "CatBackward0" -> concat(op, out);
            case "SumBackward0", "MeanBackward0" -> reduce(op.name().startsWith("Sum") ? "ReduceSum" : "ReduceMean", in(op, 0),
                    allDims(in(op, 0).rank()), false, out);
            case "SumBackward1", "MeanBackward1" -> reduce(op.name().startsWith("Sum") ? "ReduceSum" : "ReduceMean", in(op, 0),
                    op.intsAttr("dims"), op.boolAttr("keepdim"), out);
            default -> throw new IllegalArgumentException("Onnx.export: the forward pass uses " + op.name() + " ("
                    + describe(op) + "), which Linea's ONNX export has no mapping for. Exported: " + SUPPORTED);
        };
    }

    /** The Linea call behind an autograd name, for the refusal message. */
    private static String describe(Op op) {
        String n = op.name().replaceAll("Backward\\d+$", "");
        return "an op of " + op.inputs().length + " input(s) giving shape " + Arrays.toString(op.output().shape())
                + ", Linea's " + Character.toLowerCase(n.charAt(0)) + n.substring(1);
    }

    // ---------------------------------------------------------------- layers

    private Value linear(Op op, int[] out) {
        Value x = in(op, 0), w = in(op, 1);
        if (x.batchAxis() == x.rank() - 1) {
            throw refuse(op, "its input's last dimension (the features) is the batch dimension");
        }
        if (x.rank() == 2) {
            List<String> inputs = new ArrayList<>(List.of(x.name(), w.name()));
            if (present(op, 2)) {
                inputs.add(in(op, 2).name());
            }
            return g.node("Gemm", inputs, out, x.batchAxis(), ofFloat("alpha", 1f), ofFloat("beta", 1f), ofInt("transB", 1));
        }
        // Gemm is 2-D only: x·Wᵀ (+ b) with a Transpose of the weight, as PyTorch exports a Linear on (N, *, in)
        Value wt = g.node("Transpose", List.of(w.name()), new int[] {w.shape()[1], w.shape()[0]}, -1, ofInts("perm", 1, 0));
        Value y = g.node("MatMul", List.of(x.name(), wt.name()), out, x.batchAxis());
        return present(op, 2) ? binary("Add", y, in(op, 2), out, x.batchAxis()) : y;
    }

    private Value convolution(Op op, int[] out) {
        Value x = in(op, 0), w = in(op, 1);
        checkBatchFirst(op, x);
        List<String> inputs = new ArrayList<>(List.of(x.name(), w.name()));
        if (present(op, 2)) {
            inputs.add(in(op, 2).name());
        }
        int[] k = {w.shape()[2], w.shape()[3]};
        List<AttributeProto> attrs = new ArrayList<>(List.of(ofInts("dilations", longs(op.intsAttr("dilation"))),
                ofInt("group", op.intAttr("groups")), ofInts("kernel_shape", longs(k)), pads(op.intsAttr("padding")),
                ofInts("strides", longs(op.intsAttr("stride")))));
        boolean transposed = op.boolAttr("transposed");
        if (transposed) {
            attrs.add(ofInts("output_padding", longs(op.intsAttr("output_padding"))));
        }
        return g.node(transposed ? "ConvTranspose" : "Conv", inputs, out, x.batchAxis(), attrs.toArray(new AttributeProto[0]));
    }

    private Value spatial(Op op, String type, int[] out, AttributeProto... attrs) {
        Value x = in(op, 0);
        checkBatchFirst(op, x);
        if (x.rank() != 4) {
            throw refuse(op, "ONNX's " + type + " here takes (N, C, H, W); the input is " + Arrays.toString(x.shape()));
        }
        return g.node(type, List.of(x.name()), out, x.batchAxis(), attrs);
    }

    private Value adaptiveAvgPool(Op op, int[] out) {
        Value x = in(op, 0);
        checkBatchFirst(op, x);
        int h = x.shape()[x.rank() - 2], w = x.shape()[x.rank() - 1];
        int oh = out[out.length - 2], ow = out[out.length - 1];
        if (x.rank() == 4 && oh == 1 && ow == 1) {
            return g.node("GlobalAveragePool", List.of(x.name()), out, x.batchAxis());
        }
        if (x.rank() != 4 || h % oh != 0 || w % ow != 0) {
            throw refuse(op, "only output sizes that divide the input's (" + h + "x" + w + " to " + oh + "x" + ow
                    + ") are fixed windows ONNX's AveragePool can express");
        }
        long[] k = {h / oh, w / ow};
        return g.node("AveragePool", List.of(x.name()), out, x.batchAxis(), ofInts("kernel_shape", k), ofInts("strides", k));
    }

    private Value upsample(Op op, int[] out) {
        Value x = in(op, 0);
        checkBatchFirst(op, x);
        if (x.rank() != 4) {
            throw refuse(op, "exported for (N, C, H, W) inputs only, got " + Arrays.toString(x.shape()));
        }
        float s = op.floatAttr("scale_factor");
        // Linea's (and PyTorch's) nearest: source row floor(i / s), output floor(H·s): Resize's asymmetric + floor
        return g.node("Resize", List.of(x.name(), "", g.constant(new float[] {1, 1, s, s}, 4)), out, x.batchAxis(),
                ofString("coordinate_transformation_mode", "asymmetric"), ofString("mode", "nearest"),
                ofString("nearest_mode", "floor"));
    }

    private Value batchNorm(Op op, int[] out) {
        Value x = in(op, 0);
        checkBatchFirst(op, x);
        if (op.boolAttr("training") || !present(op, 3) || !present(op, 4)) {
            throw refuse(op, "it normalises with the batch's own statistics (a BatchNorm without running statistics, "
                    + "track_running_stats=false); only the eval form with running statistics is exported");
        }
        int c = x.shape()[1];
        float[] ones = new float[c];
        Arrays.fill(ones, 1f);
        String scale = present(op, 1) ? in(op, 1).name() : g.constant(ones, c);
        String bias = present(op, 2) ? in(op, 2).name() : g.constant(new float[c], c);
        return g.node("BatchNormalization", List.of(x.name(), scale, bias, in(op, 3).name(), in(op, 4).name()), out,
                x.batchAxis(), ofFloat("epsilon", op.floatAttr("eps")), ofFloat("momentum", 1f - op.floatAttr("momentum")));
    }

    /** GELU at opset 17 (which has no Gelu): {@code 0.5·x·(1 + erf(x/√2))}, as PyTorch exports it. */
    private Value gelu(Value x, int[] out) {
        Value scaled = binary("Div", x, scalar((float) Math.sqrt(2)), out, x.batchAxis());
        Value erf = unary("Erf", scaled, out);
        Value plus = binary("Add", erf, scalar(1f), out, x.batchAxis());
        Value times = binary("Mul", x, plus, out, x.batchAxis());
        return binary("Mul", times, scalar(0.5f), out, x.batchAxis());
    }

    // ---------------------------------------------------------------- elementwise

    private Value unary(String type, Value x, int[] out, AttributeProto... attrs) {
        return g.node(type, List.of(x.name()), out, x.batchAxis(), attrs);
    }

    private Value binary(String type, Value a, Value b, int[] out, int batchAxis) {
        return g.node(type, List.of(a.name(), b.name()), out, batchAxis);
    }

    private Value elementwise(Op op, String type, int[] out) {
        Value a = in(op, 0);
        if (op.inputs().length == 1) {
            return binary(type, a, scalar(op.floatAttr("other")), out, a.batchAxis());
        }
        Value b = in(op, 1);
        return binary(type, a, b, out, broadcastBatch(out.length, a, b));
    }

    private Value scalar(float v) {
        return new Value(g.constant(new float[] {v}), new int[0], -1);
    }

    private Value clip(Value x, int[] out, String min, String max) {
        List<String> inputs = max.isEmpty() ? List.of(x.name(), min) : List.of(x.name(), min, max);
        return g.node("Clip", inputs, out, x.batchAxis());
    }

    /** Where the batch dimension lands when operands broadcast (numpy rules: aligned at the last dimension). */
    private static int broadcastBatch(int rank, Value... operands) {
        for (Value v : operands) {
            if (v.batchAxis() >= 0) {
                return v.batchAxis() + rank - v.rank();
            }
        }
        return -1;
    }

    private static int matmulBatch(Value a, Value b, int rank) {
        if (a.batchAxis() >= 0 && a.batchAxis() != a.rank() - 1) {
            return a.batchAxis() + rank - a.rank();
        }
        if (b.batchAxis() >= 0 && b.batchAxis() != b.rank() - 2) {
            return b.batchAxis() + rank - b.rank();
        }
        return -1;
    }

    // ---------------------------------------------------------------- shapes

    /**
     * A view or reshape. With a batch dimension first, the target keeps it dynamic: {@code Flatten(axis=1)} for
     * (N, ...) → (N, rest) — what {@code x.view(-1, 784)} and {@code flatten(1)} do — else {@code Reshape} with
     * {@code -1} in the first dimension and the traced sizes elsewhere.
     */
    private Value reshape(Value x, int[] out) {
        if (x.batchAxis() < 0) {
            return g.node("Reshape", List.of(x.name(), g.constantLongs(longs(out))), out, -1);
        }
        if (x.batchAxis() != 0 || out.length == 0) {
            throw new IllegalArgumentException("Onnx.export: a view/reshape of " + Arrays.toString(x.shape())
                    + " to " + Arrays.toString(out) + " moves the batch dimension (dimension " + x.batchAxis()
                    + " of the input) or drops it: only reshapes that keep the batch first export with a dynamic batch size");
        }
        int rest = 1;
        for (int i = 1; i < x.rank(); i++) {
            rest *= x.shape()[i];
        }
        if (out.length == 2 && x.rank() >= 2 && out[0] == x.shape()[0] && out[1] == rest) {
            return g.node("Flatten", List.of(x.name()), out, 0, ofInt("axis", 1));
        }
        long[] target = longs(out);
        target[0] = -1;
        return g.node("Reshape", List.of(x.name(), g.constantLongs(target)), out, 0);
    }

    private Value transpose(Value x, int[] perm, int[] out) {
        int axis = -1;
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] == x.batchAxis()) {
                axis = i;
            }
        }
        return g.node("Transpose", List.of(x.name()), out, axis, ofInts("perm", longs(perm)));
    }

    private Value squeeze(Op op, int[] out) {
        Value x = in(op, 0);
        int d = op.intAttr("dim");
        if (d == x.batchAxis()) {
            throw refuse(op, "it squeezes the batch dimension (of size 1 in the example), which the export keeps dynamic: "
                    + "trace with a batch of 2 or more");
        }
        return g.node("Squeeze", List.of(x.name(), g.constantLongs(d)), out,
                x.batchAxis() > d ? x.batchAxis() - 1 : x.batchAxis());
    }

    private Value slice(Op op, int[] out) {
        Value x = in(op, 0);
        int d = op.intAttr("dim"), start = op.intAttr("start"), end = op.intAttr("end"), step = op.intAttr("step");
        if (d == x.batchAxis()) {
            if (start != 0 || end != x.shape()[d] || step != 1) {
                throw refuse(op, "it slices the batch dimension, whose size the export keeps dynamic");
            }
            return x;   // the whole batch: nothing to compute
        }
        return g.node("Slice", List.of(x.name(), g.constantLongs(start), g.constantLongs(end), g.constantLongs(d),
                g.constantLongs(step)), out, x.batchAxis());
    }

    private Value concat(Op op, int[] out) {
        List<String> names = new ArrayList<>();
        int axis = -1;
        for (int i = 0; i < op.inputs().length; i++) {
            Value v = in(op, i);
            names.add(v.name());
            axis = axis >= 0 ? axis : v.batchAxis();
        }
        int d = op.intAttr("dim");
        if (d == axis) {
            throw refuse(op, "it concatenates along the batch dimension, whose size the export keeps dynamic");
        }
        return g.node("Concat", names, out, axis, ofInt("axis", d));
    }

    private Value reduce(String type, Value x, int[] dims, boolean keepdim, int[] out) {
        int axis = x.batchAxis();
        for (int d : dims) {
            if (d == x.batchAxis()) {
                axis = -1;
            } else if (!keepdim && axis >= 0 && d < x.batchAxis()) {
                axis--;
            }
        }
        int keep = keepdim ? 1 : 0;
        // opset 17: ReduceSum takes its axes as an input (since 13), ReduceMean still as an attribute (until 18)
        return type.equals("ReduceSum")
                ? g.node(type, List.of(x.name(), g.constantLongs(longs(dims))), out, axis, ofInt("keepdims", keep))
                : g.node(type, List.of(x.name()), out, axis, ofInts("axes", longs(dims)), ofInt("keepdims", keep));
    }

    private static int[] allDims(int rank) {
        int[] d = new int[rank];
        Arrays.setAll(d, i -> i);
        return d;
    }

    // ---------------------------------------------------------------- helpers

    private static AttributeProto pads(int[] padding) {
        return ofInts("pads", padding[0], padding[1], padding[0], padding[1]);
    }

    private static void checkBatchFirst(Op op, Value x) {
        if (x.batchAxis() > 0) {
            throw refuse(op, "its input " + Arrays.toString(x.shape()) + " has the batch in dimension " + x.batchAxis()
                    + ", not the first");
        }
    }

    private static IllegalArgumentException refuse(Op op, String why) {
        return new IllegalArgumentException("Onnx.export: cannot export " + op.name() + " on "
                + Arrays.toString(op.inputs()[0].shape()) + ": " + why);
    }

    private static long[] longs(int... v) {
        return ExportGraph.longs(v);
    }
}
