package dev.linea.onnx;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What each supported ONNX node computes, on Linea's differentiable ops ({@link Tensor} and {@link F}), and
 * which attributes each op version may carry. Shapes and other integer tensors are computed on longs
 * ({@link IntOps}); everything float stays on autograd, so an imported model can be fine-tuned.
 */
final class NodeOps {
    private NodeOps() {}

    private static final Set<String> NONE = Set.of();

    /** The attributes {@code op} at {@code version} may have. */
    static Set<String> attributes(String op, int version) {
        return switch (op) {
            case "Abs", "Exp", "Log", "Neg", "Reciprocal", "Sqrt", "Sigmoid", "Tanh", "Relu", "Erf", "Identity", "Add",
                 "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "MatMul", "GlobalAveragePool",
                 "GlobalMaxPool" -> NONE;
            case "LeakyRelu" -> Set.of("alpha");
            case "Gelu" -> Set.of("approximate");
            case "Softmax", "LogSoftmax", "Flatten", "Gather", "Concat" -> Set.of("axis");
            case "Gemm" -> Set.of("alpha", "beta", "transA", "transB");
            case "Conv" -> Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
            case "ConvTranspose" -> Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides",
                    "output_padding", "output_shape");
            case "MaxPool" -> version >= 10 ? Set.of("auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads",
                    "storage_order", "strides") : Set.of("auto_pad", "kernel_shape", "pads", "storage_order", "strides");
            case "AveragePool" -> Set.of("auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads",
                    "strides");
            case "BatchNormalization" -> version >= 14 ? Set.of("epsilon", "momentum", "training_mode")
                    : Set.of("epsilon", "momentum");
            case "Reshape" -> version >= 14 ? Set.of("allowzero") : NONE;
            case "Constant" -> Set.of("value", "value_float", "value_floats", "value_int", "value_ints");
            case "Shape" -> version >= 15 ? Set.of("start", "end") : NONE;
            case "Squeeze", "Unsqueeze" -> version >= 13 ? NONE : Set.of("axes");
            case "Transpose" -> Set.of("perm");
            case "ReduceMean", "ReduceMax", "ReduceMin" -> version >= 18 ? Set.of("keepdims", "noop_with_empty_axes")
                    : Set.of("axes", "keepdims");
            case "ReduceSum" -> version >= 13 ? Set.of("keepdims", "noop_with_empty_axes") : Set.of("axes", "keepdims");
            case "Resize" -> version >= 18 ? Set.of("mode", "coordinate_transformation_mode", "nearest_mode",
                    "cubic_coeff_a", "exclude_outside", "extrapolation_value", "antialias", "axes",
                    "keep_aspect_ratio_policy")
                    : version >= 11 ? Set.of("mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a",
                    "exclude_outside", "extrapolation_value") : Set.of("mode");
            case "Upsample" -> version >= 9 ? Set.of("mode") : Set.of("mode", "scales");
            case "Clip" -> version >= 11 ? NONE : Set.of("min", "max");
            case "Cast" -> version >= 19 ? Set.of("to", "saturate") : Set.of("to");
            case "CastLike" -> version >= 19 ? Set.of("saturate") : NONE;
            case "Dropout" -> version >= 12 ? Set.of("seed") : Set.of("ratio");
            default -> throw new IllegalArgumentException("op " + op + " is not supported");
        };
    }

    // ---------------------------------------------------------------- attribute access

    static long intAttr(NodeProto n, String name, long dflt) {
        return n.attribute(name).map(a -> {
            require(a, AttributeProto.Type.INT);
            return a.i();
        }).orElse(dflt);
    }

    static float floatAttr(NodeProto n, String name, float dflt) {
        return n.attribute(name).map(a -> {
            require(a, AttributeProto.Type.FLOAT);
            return a.f();
        }).orElse(dflt);
    }

    static long[] intsAttr(NodeProto n, String name) {
        return n.attribute(name).map(a -> {
            require(a, AttributeProto.Type.INTS);
            return a.ints();
        }).orElse(null);
    }

    static String stringAttr(NodeProto n, String name, String dflt) {
        return n.attribute(name).map(a -> {
            require(a, AttributeProto.Type.STRING);
            return a.string();
        }).orElse(dflt);
    }

    private static void require(AttributeProto a, AttributeProto.Type t) {
        if (a.type() != t) {
            throw new IllegalArgumentException("attribute " + a.name() + " is " + a.type() + ", expected " + t);
        }
    }

    // ---------------------------------------------------------------- running one node

    /** One input, or null when it is left out ({@code ""}) or beyond the inputs given. */
    private static Value opt(Value[] in, int i) {
        return i < in.length ? in[i] : null;
    }

    private static Value need(Value[] in, int i, String op) {
        Value v = opt(in, i);
        if (v == null) {
            throw new IllegalArgumentException(op + " needs input " + i);
        }
        return v;
    }

    private static Tensor t(Value[] in, int i, String op) {
        return need(in, i, op).asTensor();
    }

    private static int axis(long a, int rank, String what) {
        long r = a < 0 ? a + rank : a;
        if (r < 0 || r >= Math.max(rank, 1)) {
            throw new IllegalArgumentException(what + " " + a + " is out of range for rank " + rank);
        }
        return (int) r;
    }

    private static Value[] one(Tensor t) {
        return new Value[] {Value.of(t)};
    }

    /**
     * Runs {@code n} (op version {@code version}) on its inputs ({@code null} for left-out optional ones).
     */
    static Value[] run(NodeProto n, int version, Value[] in) {
        String op = n.opType();
        switch (op) {
            case "Identity" -> {
                return new Value[] {need(in, 0, op)};
            }
            case "Abs", "Neg" -> {
                Value x = need(in, 0, op);
                if (!x.isFloat()) {
                    long[] r = x.ints.clone();
                    for (int i = 0; i < r.length; i++) {
                        r[i] = op.equals("Abs") ? Math.abs(r[i]) : -r[i];
                    }
                    return new Value[] {Value.ints(r, x.shape, x.type)};
                }
                return one(op.equals("Abs") ? x.tensor.abs() : x.tensor.neg());
            }
            case "Exp" -> {
                return one(t(in, 0, op).exp());
            }
            case "Log" -> {
                return one(t(in, 0, op).log());
            }
            case "Sqrt" -> {
                return one(t(in, 0, op).sqrt());
            }
            case "Reciprocal" -> {
                return one(t(in, 0, op).pow(-1f));
            }
            case "Sigmoid" -> {
                return one(F.sigmoid(t(in, 0, op)));
            }
            case "Tanh" -> {
                return one(F.tanh(t(in, 0, op)));
            }
            case "Relu" -> {
                return one(F.relu(t(in, 0, op)));
            }
            case "Erf" -> {
                return one(t(in, 0, op).erf());
            }
            case "LeakyRelu" -> {
                return one(F.leakyRelu(t(in, 0, op), floatAttr(n, "alpha", 0.01f)));
            }
            case "Gelu" -> {
                Tensor x = t(in, 0, op);
                String approx = stringAttr(n, "approximate", "none");
                return switch (approx) {
                    case "none" -> one(F.gelu(x));
                    case "tanh" -> one(x.mul(0.5f).mul(x.add(x.mul(x).mul(x).mul(0.044715f))
                            .mul((float) Math.sqrt(2 / Math.PI)).tanh().add(1f)));
                    default -> throw new IllegalArgumentException("Gelu approximate '" + approx + "' is not none or tanh");
                };
            }
            case "Add", "Sub", "Mul", "Div" -> {
                Value a = need(in, 0, op), b = need(in, 1, op);
                if (!a.isFloat() && !b.isFloat()) {
                    return new Value[] {IntOps.binary(a, b, switch (op) {
                        case "Add" -> Long::sum;
                        case "Sub" -> (x, y) -> x - y;
                        case "Mul" -> (x, y) -> x * y;
                        default -> (x, y) -> {
                            if (y == 0) {
                                throw new IllegalArgumentException("Div: integer division by zero");
                            }
                            return x / y;
                        };
                    }, op)};
                }
                Tensor x = a.asTensor(), y = b.asTensor();
                return one(switch (op) {
                    case "Add" -> x.add(y);
                    case "Sub" -> x.sub(y);
                    case "Mul" -> x.mul(y);
                    default -> x.div(y);
                });
            }
            case "Pow" -> {
                Tensor x = t(in, 0, op);
                Value e = need(in, 1, op);
                // a constant scalar exponent (x ** 2 in PyTorch) takes the scalar op; anything else broadcasts
                boolean scalar = e.numel() == 1 && e.rank() <= x.dim() && !(e.isFloat() && e.tensor.requiresGrad());
                return one(scalar ? x.pow(e.asFloats()[0]) : x.pow(e.asTensor()));
            }
            case "Max", "Min", "Sum", "Mean" -> {
                List<Value> xs = new ArrayList<>();
                for (Value v : in) {
                    if (v != null) {
                        xs.add(v);
                    }
                }
                if (xs.isEmpty()) {
                    throw new IllegalArgumentException(op + " needs at least one input");
                }
                boolean ints = xs.stream().noneMatch(Value::isFloat) && !op.equals("Mean");
                if (ints) {
                    Value acc = xs.get(0);
                    for (int i = 1; i < xs.size(); i++) {
                        acc = IntOps.binary(acc, xs.get(i), op.equals("Max") ? Math::max : op.equals("Min") ? Math::min
                                : Long::sum, op);
                    }
                    return new Value[] {acc};
                }
                Tensor acc = xs.get(0).asTensor();
                for (int i = 1; i < xs.size(); i++) {
                    Tensor y = xs.get(i).asTensor();
                    acc = switch (op) {
                        case "Max" -> acc.maximum(y);
                        case "Min" -> acc.minimum(y);
                        default -> acc.add(y);
                    };
                }
                if (xs.size() == 1) {
                    acc = acc.mul(1f); // a fresh tensor, as the other cases give
                }
                return one(op.equals("Mean") ? acc.div((float) xs.size()) : acc);
            }
            case "Clip" -> {
                Tensor x = t(in, 0, op);
                float lo, hi;
                if (version >= 11) {
                    lo = scalarOr(opt(in, 1), Float.NEGATIVE_INFINITY, "Clip min");
                    hi = scalarOr(opt(in, 2), Float.POSITIVE_INFINITY, "Clip max");
                } else {
                    lo = floatAttr(n, "min", -Float.MAX_VALUE);
                    hi = floatAttr(n, "max", Float.MAX_VALUE);
                }
                // ONNX: min > max gives max everywhere (numpy.clip's rule)
                return one(lo > hi ? x.clampMin(lo).clampMax(hi) : x.clamp(lo, hi));
            }
            case "Softmax", "LogSoftmax" -> {
                Tensor x = t(in, 0, op);
                boolean log = op.equals("LogSoftmax");
                if (version >= 13) {
                    int a = axis(intAttr(n, "axis", -1), x.dim(), op + " axis");
                    return one(log ? F.logSoftmax(x, a) : F.softmax(x, a));
                }
                // opset < 13: the input is coerced to 2-D at axis, and normalised over the second dimension
                int a = axis(intAttr(n, "axis", 1), x.dim(), op + " axis");
                int[] s = x.shape();
                int outer = 1;
                for (int i = 0; i < a; i++) {
                    outer *= s[i];
                }
                Tensor flat = x.reshape(outer, -1);
                return one((log ? F.logSoftmax(flat, 1) : F.softmax(flat, 1)).reshape(s));
            }
            case "MatMul" -> {
                return one(t(in, 0, op).matmul(t(in, 1, op)));
            }
            case "Gemm" -> {
                return one(gemm(n, t(in, 0, op), t(in, 1, op), opt(in, 2) == null ? null : opt(in, 2).asTensor()));
            }
            case "Conv" -> {
                Value b = opt(in, 2);
                return one(Spatial.conv(t(in, 0, op), t(in, 1, op), b == null ? null : b.asTensor(),
                        intsAttr(n, "strides"), intsAttr(n, "dilations"), intsAttr(n, "pads"),
                        stringAttr(n, "auto_pad", "NOTSET"), (int) intAttr(n, "group", 1), intsAttr(n, "kernel_shape")));
            }
            case "ConvTranspose" -> {
                Value b = opt(in, 2);
                return one(Spatial.convTranspose(t(in, 0, op), t(in, 1, op), b == null ? null : b.asTensor(),
                        intsAttr(n, "strides"), intsAttr(n, "dilations"), intsAttr(n, "pads"),
                        stringAttr(n, "auto_pad", "NOTSET"), (int) intAttr(n, "group", 1), intsAttr(n, "kernel_shape"),
                        intsAttr(n, "output_padding"), intsAttr(n, "output_shape")));
            }
            case "MaxPool" -> {
                if (intAttr(n, "storage_order", 0) != 0) {
                    throw new IllegalArgumentException("MaxPool storage_order=1 (column-major indices) is not supported");
                }
                return one(Spatial.maxPool(t(in, 0, op), requireInts(n, "kernel_shape"), intsAttr(n, "strides"),
                        intsAttr(n, "dilations"), intsAttr(n, "pads"), stringAttr(n, "auto_pad", "NOTSET"),
                        intAttr(n, "ceil_mode", 0) != 0));
            }
            case "AveragePool" -> {
                return one(Spatial.avgPool(t(in, 0, op), requireInts(n, "kernel_shape"), intsAttr(n, "strides"),
                        intsAttr(n, "dilations"), intsAttr(n, "pads"), stringAttr(n, "auto_pad", "NOTSET"),
                        intAttr(n, "ceil_mode", 0) != 0, intAttr(n, "count_include_pad", 0) != 0));
            }
            case "GlobalAveragePool", "GlobalMaxPool" -> {
                return one(Spatial.global(t(in, 0, op), op.equals("GlobalMaxPool")));
            }
            case "BatchNormalization" -> {
                if (intAttr(n, "training_mode", 0) != 0) {
                    throw new IllegalArgumentException("BatchNormalization training_mode=1 is not supported (inference only)");
                }
                Tensor x = t(in, 0, op);
                return one(F.batchNorm(x, t(in, 3, op), t(in, 4, op), t(in, 1, op), t(in, 2, op), false, 0.1,
                        floatAttr(n, "epsilon", 1e-5f)));
            }
            case "Dropout" -> {
                Value x = need(in, 0, op);
                Value training = opt(in, 2);
                if (training != null && training.asFloats()[0] != 0) {
                    throw new IllegalArgumentException("Dropout with training_mode=true is not supported (inference only)");
                }
                long[] ones = new long[x.numel()];
                Arrays.fill(ones, 1);
                return new Value[] {x, Value.ints(ones, x.shape, DataType.BOOL)};
            }
            case "Flatten" -> {
                Value x = need(in, 0, op);
                int a = (int) intAttr(n, "axis", 1);
                int r = x.rank();
                int ax = a < 0 ? a + r : a;
                if (ax < 0 || ax > r) {
                    throw new IllegalArgumentException("Flatten axis " + a + " is out of range for rank " + r);
                }
                int outer = 1;
                for (int i = 0; i < ax; i++) {
                    outer *= x.shape[i];
                }
                int inner = x.numel() / Math.max(outer, 1);
                if (outer == 0) {
                    inner = 1;
                    for (int i = ax; i < r; i++) {
                        inner *= x.shape[i];
                    }
                }
                return new Value[] {reshaped(x, new int[] {outer, inner})};
            }
            case "Reshape" -> {
                Value x = need(in, 0, op);
                long[] shape = need(in, 1, op).asLongs("Reshape shape");
                boolean allowZero = intAttr(n, "allowzero", 0) != 0;
                return new Value[] {reshaped(x, reshapeTarget(x.shape, shape, allowZero))};
            }
            case "Squeeze" -> {
                Value x = need(in, 0, op);
                long[] axes = version >= 13 ? (opt(in, 1) == null ? null : in[1].asLongs("Squeeze axes"))
                        : intsAttr(n, "axes");
                List<Integer> s = new ArrayList<>();
                boolean[] drop = new boolean[x.rank()];
                if (axes == null) {
                    for (int i = 0; i < x.rank(); i++) {
                        drop[i] = x.shape[i] == 1;
                    }
                } else {
                    for (long a : axes) {
                        int ax = axis(a, x.rank(), "Squeeze axis");
                        if (x.shape[ax] != 1) {
                            throw new IllegalArgumentException("Squeeze axis " + a + " has size " + x.shape[ax] + ", not 1");
                        }
                        drop[ax] = true;
                    }
                }
                for (int i = 0; i < x.rank(); i++) {
                    if (!drop[i]) {
                        s.add(x.shape[i]);
                    }
                }
                return new Value[] {reshaped(x, s.stream().mapToInt(Integer::intValue).toArray())};
            }
            case "Unsqueeze" -> {
                Value x = need(in, 0, op);
                long[] axes = version >= 13 ? need(in, 1, op).asLongs("Unsqueeze axes") : intsAttr(n, "axes");
                if (axes == null) {
                    throw new IllegalArgumentException("Unsqueeze needs axes");
                }
                int r = x.rank() + axes.length;
                boolean[] added = new boolean[r];
                for (long a : axes) {
                    int ax = axis(a, r, "Unsqueeze axis");
                    if (added[ax]) {
                        throw new IllegalArgumentException("Unsqueeze axis " + a + " given twice");
                    }
                    added[ax] = true;
                }
                int[] s = new int[r];
                for (int i = 0, j = 0; i < r; i++) {
                    s[i] = added[i] ? 1 : x.shape[j++];
                }
                return new Value[] {reshaped(x, s)};
            }
            case "Transpose" -> {
                Value x = need(in, 0, op);
                long[] p = intsAttr(n, "perm");
                int[] perm = new int[x.rank()];
                for (int i = 0; i < perm.length; i++) {
                    perm[i] = p == null ? perm.length - 1 - i : axis(p[i], x.rank(), "Transpose perm");
                }
                if (p != null && p.length != x.rank()) {
                    throw new IllegalArgumentException("Transpose perm " + Arrays.toString(p) + " for rank " + x.rank());
                }
                return new Value[] {x.isFloat() ? Value.of(x.tensor.permute(perm).contiguous()) : IntOps.transpose(x, perm)};
            }
            case "Concat" -> {
                List<Value> xs = new ArrayList<>();
                for (Value v : in) {
                    if (v != null) {
                        xs.add(v);
                    }
                }
                if (xs.isEmpty()) {
                    throw new IllegalArgumentException("Concat needs at least one input");
                }
                int ax = axis(n.attribute("axis").orElseThrow(() -> new IllegalArgumentException("Concat needs axis")).i(),
                        xs.get(0).rank(), "Concat axis");
                if (xs.stream().noneMatch(Value::isFloat)) {
                    return new Value[] {IntOps.concat(xs.toArray(Value[]::new), ax)};
                }
                return one(Tensor.cat(xs.stream().map(Value::asTensor).toList(), ax));
            }
            case "Shape" -> {
                Value x = need(in, 0, op);
                int r = x.rank();
                long start = intAttr(n, "start", 0), end = intAttr(n, "end", r);
                int s = (int) Math.max(0, Math.min(r, start < 0 ? start + r : start));
                int e = (int) Math.max(0, Math.min(r, end < 0 ? end + r : end));
                long[] dims = new long[Math.max(0, e - s)];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = x.shape[s + i];
                }
                return new Value[] {Value.ints(dims, dims.length)};
            }
            case "Gather" -> {
                Value data = need(in, 0, op), idx = need(in, 1, op);
                int ax = axis(intAttr(n, "axis", 0), data.rank(), "Gather axis");
                long[] ix = idx.asLongs("Gather indices");
                return new Value[] {data.isFloat() ? Value.of(Indexing.gather(data.tensor, ax, ix, idx.shape))
                        : Indexing.gather(data, ax, ix, idx.shape)};
            }
            case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin" -> {
                Tensor x = t(in, 0, op);
                boolean axesInput = op.equals("ReduceSum") ? version >= 13 : version >= 18;
                long[] axes = axesInput ? (opt(in, 1) == null ? null : in[1].asLongs(op + " axes")) : intsAttr(n, "axes");
                boolean keep = intAttr(n, "keepdims", 1) != 0;
                if ((axes == null || axes.length == 0) && intAttr(n, "noop_with_empty_axes", 0) != 0) {
                    return one(x.mul(1f));
                }
                int[] dims;
                if (axes == null || axes.length == 0) {
                    dims = new int[x.dim()];
                    for (int i = 0; i < dims.length; i++) {
                        dims[i] = i;
                    }
                } else {
                    dims = new int[axes.length];
                    for (int i = 0; i < dims.length; i++) {
                        dims[i] = axis(axes[i], x.dim(), op + " axis");
                    }
                }
                return one(reduce(op, x, dims, keep));
            }
            case "Constant" -> {
                return new Value[] {constant(n)};
            }
            case "Cast" -> {
                long to = n.attribute("to").orElseThrow(() -> new IllegalArgumentException("Cast needs attribute to")).i();
                return new Value[] {cast(need(in, 0, op), DataType.of((int) to), to)};
            }
            case "CastLike" -> {
                Value like = need(in, 1, op);
                return new Value[] {cast(need(in, 0, op), like.type, like.type.code)};
            }
            case "Resize", "Upsample" -> {
                return one(resize(n, version, in));
            }
            default -> throw new IllegalArgumentException("op " + op + " is not supported");
        }
    }

    /** Cast between the types Linea's values hold: floating types (float32) and integers/bools (longs). */
    private static Value cast(Value x, DataType to, long code) {
        if (to == null) {
            throw new IllegalArgumentException("Cast to data type " + code + " is not supported");
        }
        switch (to) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> {
                return x.isFloat() ? x : Value.of(x.asTensor());
            }
            case INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64, BOOL -> {
                long[] v;
                if (x.isFloat()) {
                    float[] f = x.tensor.toFloatArray();
                    v = new long[f.length];
                    for (int i = 0; i < f.length; i++) {
                        v[i] = to == DataType.BOOL ? (f[i] != 0 ? 1 : 0) : (long) f[i]; // truncation, as C casts
                    }
                } else {
                    v = x.ints.clone();
                    if (to == DataType.BOOL) {
                        for (int i = 0; i < v.length; i++) {
                            v[i] = v[i] != 0 ? 1 : 0;
                        }
                    }
                }
                return Value.ints(v, x.shape, to);
            }
            default -> throw new IllegalArgumentException("Cast to " + to + " is not supported");
        }
    }

    private static long[] requireInts(NodeProto n, String name) {
        long[] v = intsAttr(n, name);
        if (v == null) {
            throw new IllegalArgumentException(n.opType() + " needs attribute " + name);
        }
        return v;
    }

    private static float scalarOr(Value v, float dflt, String what) {
        if (v == null) {
            return dflt;
        }
        if (v.numel() != 1) {
            throw new IllegalArgumentException(what + " must be a scalar, got shape " + Arrays.toString(v.shape));
        }
        return v.asFloats()[0];
    }

    private static Tensor gemm(NodeProto n, Tensor a, Tensor b, Tensor c) {
        float alpha = floatAttr(n, "alpha", 1f), beta = floatAttr(n, "beta", 1f);
        boolean ta = intAttr(n, "transA", 0) != 0, tb = intAttr(n, "transB", 0) != 0;
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException("Gemm needs 2-D A and B, got " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()));
        }
        if (!ta && tb && alpha == 1f && beta == 1f && (c == null || c.dim() == 1 && c.size(0) == b.size(0))) {
            return Tensor.linear(a, b, c); // what PyTorch's Linear exports: one kernel call
        }
        Tensor y = (ta ? a.t() : a).matmul(tb ? b.t() : b);
        if (alpha != 1f) {
            y = y.mul(alpha);
        }
        if (c != null && beta != 0f) {
            y = y.add(beta == 1f ? c : c.mul(beta));
        }
        return y;
    }

    private static Value reshaped(Value x, int[] shape) {
        if (x.isFloat()) {
            return Value.of(x.tensor.reshape(shape));
        }
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != x.ints.length) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(x.shape) + " to " + Arrays.toString(shape));
        }
        return Value.ints(x.ints, shape, x.type);
    }

    /** ONNX Reshape's target: 0 copies the input's dimension (unless allowzero), -1 is inferred. */
    static int[] reshapeTarget(int[] in, long[] shape, boolean allowZero) {
        int[] out = new int[shape.length];
        int infer = -1;
        long known = 1, total = 1;
        for (int d : in) {
            total *= d;
        }
        for (int i = 0; i < shape.length; i++) {
            long s = shape[i];
            if (s == 0 && !allowZero) {
                if (i >= in.length) {
                    throw new IllegalArgumentException("Reshape: 0 at position " + i + " but the input has rank " + in.length);
                }
                s = in[i];
            }
            if (s == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("Reshape: more than one -1 in " + Arrays.toString(shape));
                }
                infer = i;
                continue;
            }
            if (s < 0 || s > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Reshape: invalid dimension " + s + " in " + Arrays.toString(shape));
            }
            out[i] = (int) s;
            known *= s;
        }
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                throw new IllegalArgumentException("Reshape: cannot infer -1 in " + Arrays.toString(shape) + " for input "
                        + Arrays.toString(in));
            }
            out[infer] = (int) (total / known);
        } else if (known != total) {
            throw new IllegalArgumentException("Reshape: shape " + Arrays.toString(shape) + " does not fit input "
                    + Arrays.toString(in));
        }
        return out;
    }

    private static Tensor reduce(String op, Tensor x, int[] dims, boolean keep) {
        switch (op) {
            case "ReduceMean" -> {
                return x.mean(dims, keep);
            }
            case "ReduceSum" -> {
                return x.sum(dims, keep);
            }
            default -> {
                int[] sorted = dims.clone();
                Arrays.sort(sorted);
                Tensor y = x;
                for (int i = sorted.length - 1; i >= 0; i--) {
                    y = op.equals("ReduceMax") ? y.max(sorted[i], keep) : y.min(sorted[i], keep);
                }
                return y;
            }
        }
    }

    static Value constant(NodeProto n) {
        if (n.attributes().size() != 1) {
            throw new IllegalArgumentException("Constant needs exactly one value attribute, has " + n.attributes().size());
        }
        AttributeProto a = n.attributes().get(0);
        return switch (a.name()) {
            case "value" -> tensorValue(a.t());
            case "value_float" -> Value.of(Tensor.scalar(a.f()));
            case "value_floats" -> Value.of(Tensor.of(a.floats().clone(), a.floats().length));
            case "value_int" -> Value.ints(new long[] {a.i()});
            case "value_ints" -> Value.ints(a.ints().clone(), a.ints().length);
            default -> throw new IllegalArgumentException("Constant attribute " + a.name() + " is not supported");
        };
    }

    /** A tensor from the file as a value: floating types as Linea tensors, integers and bools as longs. */
    static Value tensorValue(TensorProto t) {
        DataType type = t.type();
        int[] shape = t.shape();
        return switch (type == null ? DataType.UNDEFINED : type) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> Value.of(Tensor.of(t.toFloats(), shape));
            case INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64, BOOL -> Value.ints(t.toLongs(), shape, type);
            default -> throw new IllegalArgumentException("tensor '" + t.name() + "' has " + DataType.describe(t.dataType())
                    + ", which Linea does not import");
        };
    }

    private static Tensor resize(NodeProto n, int version, Value[] in) {
        Tensor x = t(in, 0, n.opType());
        int r = x.dim();
        String mode = stringAttr(n, "mode", "nearest");
        double[] scales = null;
        int[] sizes = null;
        Resize.Options o;
        if (n.opType().equals("Upsample") || version == 10) {
            float[] s = version >= 9 || n.opType().equals("Resize") ? need(in, 1, "Resize").asFloats()
                    : floatsAttr(n, "scales");
            scales = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                scales[i] = s[i];
            }
            o = new Resize.Options(mode, "asymmetric", "floor", -0.75, 0, "stretch", 0);
        } else {
            Value sc = opt(in, 2), sz = opt(in, 3);
            if (sc != null && sc.numel() > 0) {
                float[] s = sc.asFloats();
                scales = new double[s.length];
                for (int i = 0; i < s.length; i++) {
                    scales[i] = s[i];
                }
            } else if (sz != null) {
                long[] s = sz.asLongs("Resize sizes");
                sizes = new int[s.length];
                for (int i = 0; i < s.length; i++) {
                    sizes[i] = Math.toIntExact(s[i]);
                }
            } else {
                throw new IllegalArgumentException("Resize needs scales or sizes");
            }
            if (stringAttr(n, "coordinate_transformation_mode", "half_pixel").equals("tf_crop_and_resize")) {
                throw new IllegalArgumentException("Resize coordinate_transformation_mode tf_crop_and_resize is not supported");
            }
            if (!mode.equals("nearest") && !mode.equals("linear")) {
                throw new IllegalArgumentException("Resize mode '" + mode + "' is not supported (nearest, linear are)");
            }
            o = new Resize.Options(mode, stringAttr(n, "coordinate_transformation_mode", "half_pixel"),
                    stringAttr(n, "nearest_mode", "round_prefer_floor"), floatAttr(n, "cubic_coeff_a", -0.75f),
                    (int) intAttr(n, "exclude_outside", 0), stringAttr(n, "keep_aspect_ratio_policy", "stretch"),
                    (int) intAttr(n, "antialias", 0));
        }
        // axes (opset 18): scales/sizes name only some axes; the others keep their size
        long[] axesAttr = intsAttr(n, "axes");
        int[] axes = new int[axesAttr == null ? r : axesAttr.length];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = axesAttr == null ? i : axis(axesAttr[i], r, "Resize axis");
        }
        int given = scales != null ? scales.length : sizes.length;
        if (given != axes.length) {
            throw new IllegalArgumentException("Resize: " + given + " scales/sizes for " + axes.length + " axes");
        }
        double[] allScales = new double[r];
        int[] out = x.shape();
        Arrays.fill(allScales, 1.0);
        if (scales != null) {
            for (int i = 0; i < axes.length; i++) {
                allScales[axes[i]] = scales[i];
                out[axes[i]] = (int) Math.floor(x.size(axes[i]) * scales[i]);
            }
        } else {
            String policy = o.aspectPolicy();
            if (policy.equals("stretch")) {
                for (int i = 0; i < axes.length; i++) {
                    out[axes[i]] = sizes[i];
                    allScales[axes[i]] = sizes[i] / (double) x.size(axes[i]);
                }
            } else {
                double s = policy.equals("not_larger") ? Double.MAX_VALUE : 0;
                for (int i = 0; i < axes.length; i++) {
                    double si = sizes[i] / (double) x.size(axes[i]);
                    s = policy.equals("not_larger") ? Math.min(s, si) : Math.max(s, si);
                }
                if (!policy.equals("not_larger") && !policy.equals("not_smaller")) {
                    throw new IllegalArgumentException("keep_aspect_ratio_policy '" + policy + "' is not supported");
                }
                for (int a : axes) {
                    allScales[a] = s;
                    out[a] = (int) Math.round(s * x.size(a));
                }
            }
        }
        return Resize.resize(x, out, allScales, o);
    }

    private static float[] floatsAttr(NodeProto n, String name) {
        return n.attribute(name).map(a -> {
            require(a, AttributeProto.Type.FLOATS);
            return a.floats();
        }).orElseThrow(() -> new IllegalArgumentException(n.opType() + " needs attribute " + name));
    }
}
