package dev.linea;

import dev.linea.autograd.Autograd;
import dev.linea.autograd.Engine;
import dev.linea.autograd.GradMode;
import dev.linea.autograd.Node;
import dev.linea.compute.Ops;

import dev.linea.backend.BinaryOp;
import dev.linea.internal.Shape;
import dev.linea.internal.TensorAccess;
import dev.linea.internal.Trace;
import dev.linea.backend.UnaryOp;

import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array of float32 values with reverse-mode automatic differentiation, in the style of
 * {@code torch.Tensor}.
 *
 * <p>Storage is a {@code float[]} with an offset, a shape and strides; {@link #view}, {@link #transpose},
 * {@link #permute}, {@link #slice} and friends return views that share it. Elementwise operations
 * broadcast like PyTorch. Every differentiable operation is written as its forward computation and,
 * right beside it, its local backward rule; when any input {@link #requiresGrad() requires grad}, the
 * result remembers that rule and {@link #backward()} walks the graph back to the leaves, accumulating
 * into {@link #grad()}.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(3, 2).requiresGrad(true);
 * Tensor loss = Tensor.ones(4, 3).matmul(w).relu().sum();
 * loss.backward();
 * System.out.println(w.grad());
 * }</pre>
 *
 * Integer data (class labels, indices) is held as whole-valued floats.
 *
 * <p>Computation happens below this class: each method checks its arguments, calls
 * {@code dev.linea.compute} (tensor arithmetic over the backend, no autograd) for the forward values, and
 * records the backward rule with {@link Autograd#record}. The storage is not part of the public API.
 */
public class Tensor {
    static {
        TensorAccess.install(new TensorAccess.Bridge() {
            @Override public float[] data(Tensor t) { return t.data; }
            @Override public int offset(Tensor t) { return t.offset; }
            @Override public Tensor create(float[] data, int offset, int[] shape, int[] strides) {
                return new Tensor(data, offset, shape, strides);
            }
            @Override public Node gradFn(Tensor t) { return t.gradFn; }
            @Override public void setGradFn(Tensor t, Node node) {
                t.gradFn = node;
                t.requiresGrad = true;
            }
            @Override public void accumulateGrad(Tensor leaf, Tensor g, boolean owned) { leaf.accumulateGrad(g, owned); }
        });
    }

    private final float[] data;
    private final int offset;
    private final int[] shape;
    private final int[] strides;
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;

    /**
     * A tensor sharing {@code other}'s storage and layout, as a fresh leaf: the base of
     * {@code dev.linea.nn.Parameter}.
     */
    protected Tensor(Tensor other) {
        this(other.data, other.offset, other.shape, other.strides);
    }

    Tensor(float[] data, int[] shape) {
        this(data, 0, shape, Shape.contiguousStrides(shape));
    }

    Tensor(float[] data, int offset, int[] shape, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    // ---------------------------------------------------------------- creation

    /** A tensor over a copy of {@code values} with the given shape ({@code -1} infers one dimension). */
    public static Tensor of(float[] values, int... shape) {
        int[] s = shape.length == 0 ? new int[] {values.length} : Shape.infer(shape, values.length, new int[] {values.length});
        return new Tensor(values.clone(), s);
    }

    /** A 1-D tensor of the given values. */
    public static Tensor of(float... values) {
        return new Tensor(values.clone(), new int[] {values.length});
    }

    /** A 2-D tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] d = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + cols);
            }
            System.arraycopy(rows[i], 0, d, i * cols, cols);
        }
        return new Tensor(d, new int[] {rows.length, cols});
    }

    /** A tensor that takes ownership of {@code values} (no copy): for loaders and kernels that fill arrays. */
    public static Tensor wrap(float[] values, int... shape) {
        if (Shape.numel(shape) != values.length) {
            throw new IllegalArgumentException("shape " + Shape.str(shape) + " needs " + Shape.numel(shape)
                    + " values, got " + values.length);
        }
        return new Tensor(values, shape.clone());
    }

    /** A 0-dimensional tensor holding {@code value}. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shape.numel(shape)], shape.clone());
    }

    public static Tensor ones(int... shape) {
        return full(shape, 1f);
    }

    public static Tensor full(int[] shape, float value) {
        float[] d = new float[Shape.numel(shape)];
        Arrays.fill(d, value);
        return new Tensor(d, shape.clone());
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape);
    }

    public static Tensor onesLike(Tensor t) {
        return ones(t.shape);
    }

    /** Uniform samples in [0, 1) from the global generator. */
    public static Tensor rand(int... shape) {
        return rand(Generator.global(), shape);
    }

    public static Tensor rand(Generator gen, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = gen.nextFloat();
        }
        return new Tensor(d, shape.clone());
    }

    /** Standard normal samples from the global generator. */
    public static Tensor randn(int... shape) {
        return randn(Generator.global(), shape);
    }

    public static Tensor randn(Generator gen, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) gen.nextGaussian();
        }
        return new Tensor(d, shape.clone());
    }

    /** Uniform integers in [low, high), held as floats (e.g. class labels). */
    public static Tensor randint(int low, int high, int... shape) {
        return randint(Generator.global(), low, high, shape);
    }

    public static Tensor randint(Generator gen, int low, int high, int... shape) {
        if (high <= low) {
            throw new IllegalArgumentException("randint needs low < high, got low=" + low + ", high=" + high);
        }
        float[] d = new float[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = low + gen.nextInt(high - low);
        }
        return new Tensor(d, shape.clone());
    }

    /** {@code [0, 1, ..., end-1]}. */
    public static Tensor arange(int end) {
        return arange(0, end, 1);
    }

    /** {@code start, start+step, ...} below {@code end} (above it for a negative step). */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || Float.isNaN(step)) {
            throw new IllegalArgumentException("arange step must be non-zero, got " + step);
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = start + i * step;
        }
        return new Tensor(d, new int[] {n});
    }

    // ---------------------------------------------------------------- metadata and access

    /** The size of each dimension (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Same as {@link #shape()}, PyTorch's spelling. */
    public int[] size() {
        return shape();
    }

    /** The size of dimension {@code dim} (negative counts from the end). */
    public int size(int dim) {
        return shape[Shape.dim(dim, shape.length)];
    }

    /** The number of dimensions. */
    public int dim() {
        return shape.length;
    }

    /** The number of elements. */
    public int numel() {
        return Shape.numel(shape);
    }

    /** The strides, in elements (a copy). */
    public int[] strides() {
        return strides.clone();
    }

    /** True when the elements are dense and in row-major order. */
    public boolean isContiguous() {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    float[] data() {
        return data;
    }

    int offset() {
        return offset;
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (numel() != 1) {
            throw new IllegalStateException("item() needs a tensor with one element, but shape is " + Shape.str(shape)
                    + " (" + numel() + " elements)");
        }
        return data[offset];
    }

    /** The element at the given indices (one per dimension; negative counts from the end). */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get needs " + shape.length + " indices for shape " + Shape.str(shape)
                    + ", got " + index.length);
        }
        int pos = offset;
        for (int d = 0; d < index.length; d++) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + index[d] + " is out of bounds for dimension " + d
                        + " with size " + shape[d]);
            }
            pos += i * strides[d];
        }
        return data[pos];
    }

    /** The elements in row-major order, as a new array. */
    public float[] toFloatArray() {
        float[] out = new float[numel()];
        Ops.copyStrided(this, out, 0);
        return out;
    }

    // ---------------------------------------------------------------- autograd

    /** Whether gradients are computed for this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as needing gradients; returns this tensor. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalStateException("requiresGrad(false) is only allowed on leaf tensors; use detach() on "
                    + "the output of " + gradFn.name());
        }
        requiresGrad = value;
        return this;
    }

    /** The accumulated gradient of a leaf, or null before the first backward. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the accumulated gradient (null clears it). */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("gradient shape " + Shape.str(g.shape) + " does not match tensor shape "
                    + Shape.str(shape));
        }
        grad = g;
    }

    /** True for tensors not produced by a recorded operation. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The name of the operation that produced this tensor, e.g. {@code AddmmBackward0}, or null for a leaf. */
    public String gradFnName() {
        return gradFn == null ? null : gradFn.name();
    }

    /**
     * Adds {@code g} to this leaf's gradient. With {@code owned} (no other tensor shares g's storage, as
     * the engine guarantees) a dense g becomes the gradient without a copy, as PyTorch's AccumulateGrad
     * steals a gradient nobody else holds.
     */
    void accumulateGrad(Tensor g, boolean owned) {
        Tensor gc = Arrays.equals(g.shape, shape) ? g : g.reshape(shape);
        if (grad == null) {
            boolean dense = owned && gc.isContiguous() && gc.offset == 0 && gc.data.length == gc.numel() && gc.data != data;
            grad = new Tensor(dense ? gc.data : gc.toFloatArray(), shape.clone());
        } else {
            Ops.addInPlace(grad, gc, 1f);
        }
    }

    /** Backpropagates from this scalar: computes d(this)/d(leaf) for every leaf that requires grad. */
    public void backward() {
        Engine.backward(this, null, false);
    }

    /** Backpropagates with {@code gradient} as d(loss)/d(this), for non-scalar outputs. */
    public void backward(Tensor gradient) {
        Engine.backward(this, gradient, false);
    }

    /** As {@link #backward(Tensor)}; with {@code retainGraph} the graph can be walked again. */
    public void backward(Tensor gradient, boolean retainGraph) {
        Engine.backward(this, gradient, retainGraph);
    }

    /** A tensor sharing this data, cut from the graph (no gradient flows through it). */
    public Tensor detach() {
        return new Tensor(data, offset, shape, strides);
    }

    private static Tensor record(String name, Tensor out, Autograd.Rule rule, Tensor... inputs) {
        return Autograd.record(name, out, rule, inputs);
    }

    // A traced forward pass (internal.Trace, for an export) sees every op through Autograd.record; the ops
    // below whose meaning needs an attribute (a dimension, a scalar operand) report again with it. Without a
    // trace each costs one read: the arrays are built only when one runs.

    private static Tensor traced(Tensor out, String name, Tensor in, String key, float value) {
        if (Trace.active()) {
            Trace.op(name, out, new Tensor[] {in}, key, value);
        }
        return out;
    }

    private static Tensor traced(Tensor out, String name, Tensor in, String key, int value) {
        if (Trace.active()) {
            Trace.op(name, out, new Tensor[] {in}, key, value);
        }
        return out;
    }

    // ---------------------------------------------------------------- views

    /** A view with a new shape (one dimension may be -1); the tensor must be contiguous. */
    public Tensor view(int... newShape) {
        int[] s = Shape.infer(newShape, numel(), shape);
        if (!isContiguous()) {
            throw new IllegalStateException("view size is not compatible with input tensor's size and stride "
                    + "(shape " + Shape.str(shape) + ", strides " + Shape.str(strides) + "): use reshape(...) instead");
        }
        Tensor out = new Tensor(data, offset, s, Shape.contiguousStrides(s));
        int[] in = shape;
        return record("ViewBackward0", out, g -> new Tensor[] {g.reshape(in)}, this);
    }

    /** Like {@link #view}, copying when the layout requires it. */
    public Tensor reshape(int... newShape) {
        return isContiguous() ? view(newShape) : contiguous().view(newShape);
    }

    /** A contiguous tensor with the same values: this one if already contiguous. */
    public Tensor contiguous() {
        if (isContiguous()) {
            return this;
        }
        return record("CloneBackward0", Ops.contiguous(this), g -> new Tensor[] {g}, this);
    }

    /** A copy with its own storage (differentiable). */
    @Override
    public final Tensor clone() {
        Tensor out = new Tensor(toFloatArray(), shape.clone());
        return record("CloneBackward0", out, g -> new Tensor[] {g}, this);
    }

    /** Swaps two dimensions (a view). */
    public Tensor transpose(int dim0, int dim1) {
        int a = Shape.dim(dim0, shape.length), b = Shape.dim(dim1, shape.length);
        int[] s = shape.clone(), st = strides.clone();
        s[a] = shape[b];
        s[b] = shape[a];
        st[a] = strides[b];
        st[b] = strides[a];
        Tensor out = record("TransposeBackward0", new Tensor(data, offset, s, st), g -> new Tensor[] {g.transpose(a, b)}, this);
        if (Trace.active()) {
            Trace.op("TransposeBackward0", out, new Tensor[] {this}, "dim0", a, "dim1", b);
        }
        return out;
    }

    /** The transpose of a 2-D tensor (a view); 0-D and 1-D tensors are returned as they are. */
    public Tensor t() {
        if (shape.length > 2) {
            throw new IllegalStateException("t() expects a tensor with at most 2 dimensions, got shape " + Shape.str(shape));
        }
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /** Reorders the dimensions (a view): {@code out.shape[i] = shape[dims[i]]}. */
    public Tensor permute(int... dims) {
        if (dims.length != shape.length) {
            throw new IllegalArgumentException("permute needs " + shape.length + " dimensions for shape "
                    + Shape.str(shape) + ", got " + Arrays.toString(dims));
        }
        int[] s = new int[dims.length], st = new int[dims.length], inverse = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shape.dim(dims[i], shape.length);
            if (seen[d]) {
                throw new IllegalArgumentException("permute: dimension " + d + " repeats in " + Arrays.toString(dims));
            }
            seen[d] = true;
            s[i] = shape[d];
            st[i] = strides[d];
            inverse[d] = i;
        }
        Tensor out = record("PermuteBackward0", new Tensor(data, offset, s, st), g -> new Tensor[] {g.permute(inverse)}, this);
        if (Trace.active()) {
            int[] order = new int[dims.length];
            Arrays.setAll(order, i -> Shape.dim(dims[i], shape.length));
            Trace.op("PermuteBackward0", out, new Tensor[] {this}, "dims", order);
        }
        return out;
    }

    /** All dimensions flattened into one. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Dimensions {@code startDim..endDim} (inclusive) flattened into one. */
    public Tensor flatten(int startDim, int endDim) {
        if (shape.length == 0) {
            return reshape(1);
        }
        int a = Shape.dim(startDim, shape.length), b = Shape.dim(endDim, shape.length);
        if (a > b) {
            throw new IllegalArgumentException("flatten: startDim " + startDim + " comes after endDim " + endDim);
        }
        int[] s = new int[shape.length - (b - a)];
        int j = 0;
        for (int i = 0; i < a; i++) {
            s[j++] = shape[i];
        }
        int merged = 1;
        for (int i = a; i <= b; i++) {
            merged *= shape[i];
        }
        s[j++] = merged;
        for (int i = b + 1; i < shape.length; i++) {
            s[j++] = shape[i];
        }
        return reshape(s);
    }

    /** Removes every dimension of size 1. */
    public Tensor squeeze() {
        return reshape(Arrays.stream(shape).filter(d -> d != 1).toArray());
    }

    /** Removes dimension {@code dim} if its size is 1. */
    public Tensor squeeze(int dim) {
        int d = Shape.dim(dim, shape.length);
        if (shape.length == 0 || shape[d] != 1) {
            return this;
        }
        int[] s = new int[shape.length - 1], st = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != d) {
                s[j] = shape[i];
                st[j++] = strides[i];
            }
        }
        int[] in = shape;
        return traced(record("SqueezeBackward1", new Tensor(data, offset, s, st), g -> new Tensor[] {g.reshape(in)}, this),
                "SqueezeBackward1", this, "dim", d);
    }

    /** Inserts a dimension of size 1 at {@code dim} (a view). */
    public Tensor unsqueeze(int dim) {
        int d = Shape.dim(dim, shape.length + 1);
        int[] s = new int[shape.length + 1], st = new int[shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i == d) {
                s[i] = 1;
                st[i] = d < shape.length ? strides[d] * shape[d] : 1;
            } else {
                s[i] = shape[j];
                st[i] = strides[j++];
            }
        }
        return traced(record("UnsqueezeBackward0", new Tensor(data, offset, s, st), g -> new Tensor[] {g.squeeze(d)}, this),
                "UnsqueezeBackward0", this, "dim", d);
    }

    /** Elements {@code start..end-1} along {@code dim} (a view); negative bounds count from the end. */
    public Tensor slice(int dim, int start, int end) {
        return slice(dim, start, end, 1);
    }

    /** Every {@code step}-th element of {@code start..end-1} along {@code dim} (a view). */
    public Tensor slice(int dim, int start, int end, int step) {
        int d = Shape.dim(dim, shape.length);
        if (step <= 0) {
            throw new IllegalArgumentException("slice step must be positive, got " + step);
        }
        int n = shape[d];
        int s0 = Math.clamp(start < 0 ? start + n : start, 0, n);
        int e0 = Math.clamp(end < 0 ? end + n : end, s0, n);
        int[] s = shape.clone(), st = strides.clone();
        s[d] = (e0 - s0 + step - 1) / step;
        st[d] = strides[d] * step;
        Tensor out = new Tensor(data, offset + s0 * strides[d], s, st);
        int[] in = shape;
        out = record("SliceBackward0", out, g -> {
            Tensor full = zeros(in);
            full.sliceNoGrad(d, s0, e0, step).copy_(g);
            return new Tensor[] {full};
        }, this);
        if (Trace.active()) {
            Trace.op("SliceBackward0", out, new Tensor[] {this}, "dim", d, "start", s0, "end", e0, "step", step);
        }
        return out;
    }

    private Tensor sliceNoGrad(int d, int s0, int e0, int step) {
        int[] s = shape.clone(), st = strides.clone();
        s[d] = (e0 - s0 + step - 1) / step;
        st[d] = strides[d] * step;
        return new Tensor(data, offset + s0 * strides[d], s, st);
    }

    /** Same as {@link #slice(int, int, int)} with a length, PyTorch's {@code narrow}. */
    public Tensor narrow(int dim, int start, int length) {
        return slice(dim, start, start + length);
    }

    /** The slice at {@code index} along {@code dim}, with that dimension removed (a view). */
    public Tensor select(int dim, int index) {
        int d = Shape.dim(dim, shape.length);
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException("index " + index + " is out of bounds for dimension " + d
                    + " with size " + shape[d]);
        }
        return slice(d, i, i + 1).squeeze(d);
    }

    /** A view with size-1 dimensions repeated (stride 0) up to {@code newShape}; -1 keeps a size. */
    public Tensor expand(int... newShape) {
        if (newShape.length < shape.length) {
            throw new IllegalArgumentException("expand: shape " + Shape.str(newShape) + " has fewer dimensions than "
                    + Shape.str(shape));
        }
        int lead = newShape.length - shape.length;
        int[] s = new int[newShape.length], st = new int[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            int have = i < lead ? 1 : shape[i - lead];
            int want = newShape[i] == -1 ? have : newShape[i];
            if (have != want && have != 1) {
                throw new IllegalArgumentException("expand: size " + have + " at dimension " + i + " cannot become "
                        + want + " (shape " + Shape.str(shape) + " to " + Shape.str(newShape) + ")");
            }
            s[i] = want;
            st[i] = i < lead || have != want ? 0 : strides[i - lead];
        }
        // The engine sums the gradient back to this tensor's shape.
        return record("ExpandBackward0", new Tensor(data, offset, s, st), g -> new Tensor[] {g}, this);
    }

    /** Concatenates tensors along {@code dim}; all other dimensions must match. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat needs at least one tensor");
        }
        Tensor first = tensors.get(0);
        int d = Shape.dim(dim, first.dim());
        int[] outShape = first.shape();
        outShape[d] = 0;
        for (Tensor t : tensors) {
            if (t.dim() != first.dim()) {
                throw new IllegalArgumentException("cat: shapes " + Shape.str(first.shape) + " and " + Shape.str(t.shape)
                        + " have different numbers of dimensions");
            }
            for (int i = 0; i < t.dim(); i++) {
                if (i != d && t.shape[i] != first.shape[i]) {
                    throw new IllegalArgumentException("cat: sizes must match except in dimension " + d + ", got "
                            + Shape.str(first.shape) + " and " + Shape.str(t.shape));
                }
            }
            outShape[d] += t.shape[d];
        }
        Tensor out = zeros(outShape);
        int[] starts = new int[tensors.size()];
        int pos = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            starts[i] = pos;
            out.sliceNoGrad(d, pos, pos + t.shape[d], 1).copy_(t.detach());
            pos += t.shape[d];
        }
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        out = record("CatBackward0", out, g -> {
            Tensor[] gs = new Tensor[tensors.size()];
            for (int i = 0; i < gs.length; i++) {
                gs[i] = g.slice(d, starts[i], starts[i] + tensors.get(i).shape[d]);
            }
            return gs;
        }, inputs);
        if (Trace.active()) {
            Trace.op("CatBackward0", out, inputs, "dim", d);
        }
        return out;
    }

    /** Stacks equally shaped tensors along a new dimension {@code dim}. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack needs at least one tensor");
        }
        int d = Shape.dim(dim, tensors.get(0).dim() + 1);
        return cat(tensors.stream().map(t -> t.unsqueeze(d)).toList(), d);
    }

    // ---------------------------------------------------------------- elementwise

    public Tensor add(Tensor other) {
        return record("AddBackward0", Ops.binary(BinaryOp.ADD, this, other), g -> new Tensor[] {g, g}, this, other);
    }

    public Tensor add(float s) {
        return traced(record("AddBackward0", Ops.binaryScalar(BinaryOp.ADD, this, s), g -> new Tensor[] {g}, this), "AddBackward0", this, "other", s);
    }

    public Tensor sub(Tensor other) {
        return record("SubBackward0", Ops.binary(BinaryOp.SUB, this, other), g -> new Tensor[] {g, g.neg()}, this, other);
    }

    public Tensor sub(float s) {
        return traced(record("SubBackward0", Ops.binaryScalar(BinaryOp.SUB, this, s), g -> new Tensor[] {g}, this), "SubBackward0", this, "other", s);
    }

    /** {@code s - this}. */
    public Tensor rsub(float s) {
        return traced(record("RsubBackward1", Ops.scalarBinary(BinaryOp.SUB, s, this), g -> new Tensor[] {g.neg()}, this), "RsubBackward1", this, "other", s);
    }

    public Tensor mul(Tensor other) {
        Tensor a = this;
        return record("MulBackward0", Ops.binary(BinaryOp.MUL, a, other),
                g -> new Tensor[] {g.mul(other), g.mul(a)}, a, other);
    }

    public Tensor mul(float s) {
        return traced(record("MulBackward0", Ops.binaryScalar(BinaryOp.MUL, this, s), g -> new Tensor[] {g.mul(s)}, this), "MulBackward0", this, "other", s);
    }

    public Tensor div(Tensor other) {
        Tensor a = this;
        return record("DivBackward0", Ops.binary(BinaryOp.DIV, a, other),
                g -> new Tensor[] {g.div(other), g.mul(a).div(other.mul(other)).neg()}, a, other);
    }

    public Tensor div(float s) {
        return traced(record("DivBackward0", Ops.binaryScalar(BinaryOp.DIV, this, s), g -> new Tensor[] {g.div(s)}, this), "DivBackward0", this, "other", s);
    }

    public Tensor neg() {
        return record("NegBackward0", Ops.unary(UnaryOp.NEG, 0, this), g -> new Tensor[] {g.neg()}, this);
    }

    public Tensor exp() {
        Tensor out = Ops.unary(UnaryOp.EXP, 0, this);
        return record("ExpBackward0", out, g -> new Tensor[] {g.mul(out)}, this);
    }

    /** Natural logarithm. */
    public Tensor log() {
        Tensor a = this;
        return record("LogBackward0", Ops.unary(UnaryOp.LOG, 0, a), g -> new Tensor[] {g.div(a)}, a);
    }

    public Tensor pow(float p) {
        Tensor a = this;
        return traced(record("PowBackward0", Ops.unary(UnaryOp.POW, p, a),
                g -> new Tensor[] {p == 0 ? zerosLike(a) : g.mul(a.pow(p - 1)).mul(p)}, a), "PowBackward0", a, "exponent", p);
    }

    /** Elementwise {@code this^exponent}, broadcasting. */
    public Tensor pow(Tensor exponent) {
        Tensor a = this;
        Tensor out = Ops.binary(BinaryOp.POW, a, exponent);
        return record("PowBackward1", out, g -> new Tensor[] {
                g.mul(exponent).mul(a.pow(exponent.sub(1f))),
                g.mul(out).mul(a.log())}, a, exponent);
    }

    public Tensor sqrt() {
        Tensor out = Ops.unary(UnaryOp.SQRT, 0, this);
        return record("SqrtBackward0", out, g -> new Tensor[] {g.div(out.mul(2f))}, this);
    }

    public Tensor abs() {
        Tensor a = this;
        return record("AbsBackward0", Ops.unary(UnaryOp.ABS, 0, a), g -> new Tensor[] {g.mul(a.sign())}, a);
    }

    /** -1, 0 or 1; 0 at ±0 and at NaN, as {@code torch.sign} (not differentiable: its gradient is zero). */
    public Tensor sign() {
        return Ops.unary(UnaryOp.SIGN, 0, this);
    }

    /**
     * Limits values to {@code [min, max]}; NaN stays NaN (and a NaN bound gives NaN). The gradient flows where
     * {@code min <= x <= max} and is 0 elsewhere, NaN inputs included, as PyTorch's.
     */
    public Tensor clamp(float min, float max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        Tensor a = this;
        Tensor out = Ops.unary(UnaryOp.CLAMP_MAX, max, Ops.unary(UnaryOp.CLAMP_MIN, min, a));
        out = record("ClampBackward1", out, g -> new Tensor[] {only(a.ge(min).mul(a.le(max)), g)}, a);
        if (Trace.active()) {
            Trace.op("ClampBackward1", out, new Tensor[] {a}, "min", min, "max", max);
        }
        return out;
    }

    /** {@code max(x, min)} ({@code x} kept at ties, NaN stays NaN); the gradient flows where {@code x >= min}. */
    public Tensor clampMin(float min) {
        Tensor a = this;
        return traced(record("ClampMinBackward0", Ops.unary(UnaryOp.CLAMP_MIN, min, a), g -> new Tensor[] {only(a.ge(min), g)}, a),
                "ClampMinBackward0", a, "min", min);
    }

    /** {@code min(x, max)} ({@code x} kept at ties, NaN stays NaN); the gradient flows where {@code x <= max}. */
    public Tensor clampMax(float max) {
        Tensor a = this;
        return traced(record("ClampMaxBackward0", Ops.unary(UnaryOp.CLAMP_MAX, max, a), g -> new Tensor[] {only(a.le(max), g)}, a),
                "ClampMaxBackward0", a, "max", max);
    }

    /**
     * Elementwise maximum, broadcasting; NaN if either is NaN. As PyTorch's rule, the gradient goes to the
     * larger, is split evenly at ties, and goes whole to both sides where either is NaN.
     */
    public Tensor maximum(Tensor other) {
        Tensor a = this;
        return record("MaximumBackward0", Ops.binary(BinaryOp.MAX, a, other), g -> {
            Tensor split = Ops.where(a.eq(other), g.mul(0.5f), g);
            return new Tensor[] {only(a.lt(other).rsub(1f), split), only(a.gt(other).rsub(1f), split)};
        }, a, other);
    }

    /** Elementwise minimum, broadcasting; NaN if either is NaN. The gradient as {@link #maximum}'s, mirrored. */
    public Tensor minimum(Tensor other) {
        Tensor a = this;
        return record("MinimumBackward0", Ops.binary(BinaryOp.MIN, a, other), g -> {
            Tensor split = Ops.where(a.eq(other), g.mul(0.5f), g);
            return new Tensor[] {only(a.gt(other).rsub(1f), split), only(a.lt(other).rsub(1f), split)};
        }, a, other);
    }

    /**
     * {@code g} where the 0/1 {@code mask} is 1, 0 elsewhere, broadcasting: PyTorch's {@code where(mask, grad, 0)}
     * in the backward of clamps, max and where. A select, not {@code g·mask}, so that an infinite or NaN
     * gradient of an unselected element gives 0 rather than NaN. On a 0/1 mask ReLU's backward
     * ({@code mask <= 0 ? 0 : g}) is exactly that select, with the fast broadcasting of binary ops.
     */
    private static Tensor only(Tensor mask, Tensor g) {
        return Ops.binary(BinaryOp.RELU_GRAD, mask, g);
    }

    // Comparisons give 0/1 masks and are not differentiable.
    public Tensor gt(Tensor o) { return Ops.binary(BinaryOp.GT, this, o); }
    public Tensor lt(Tensor o) { return Ops.binary(BinaryOp.LT, this, o); }
    public Tensor ge(Tensor o) { return Ops.binary(BinaryOp.GE, this, o); }
    public Tensor le(Tensor o) { return Ops.binary(BinaryOp.LE, this, o); }
    public Tensor eq(Tensor o) { return Ops.binary(BinaryOp.EQ, this, o); }
    public Tensor ne(Tensor o) { return Ops.binary(BinaryOp.NE, this, o); }
    public Tensor gt(float s) { return Ops.binaryScalar(BinaryOp.GT, this, s); }
    public Tensor lt(float s) { return Ops.binaryScalar(BinaryOp.LT, this, s); }
    public Tensor ge(float s) { return Ops.binaryScalar(BinaryOp.GE, this, s); }
    public Tensor le(float s) { return Ops.binaryScalar(BinaryOp.LE, this, s); }
    public Tensor eq(float s) { return Ops.binaryScalar(BinaryOp.EQ, this, s); }
    public Tensor ne(float s) { return Ops.binaryScalar(BinaryOp.NE, this, s); }

    /** {@code mask != 0 ? this : other}, broadcasting; the mask gets no gradient. */
    public Tensor where(Tensor mask, Tensor other) {
        // Selects rather than blends: this·keep + other·(1-keep) would turn an unchosen inf into NaN.
        Tensor out = Ops.where(mask, this, other);
        Tensor keep = mask.ne(0f), drop = mask.eq(0f); // the mask as it is now, whatever happens to it later
        return record("WhereBackward0", out, g -> new Tensor[] {only(keep, g), only(drop, g)}, this, other);
    }

    // ---------------------------------------------------------------- activations

    /** {@code max(x, 0)}: NaN stays NaN (and its gradient passes), as {@code torch.relu}. */
    public Tensor relu() {
        Tensor a = this;
        return record("ReluBackward0", Ops.unary(UnaryOp.RELU, 0, a),
                g -> new Tensor[] {Ops.binary(BinaryOp.RELU_GRAD, a, g)}, a);
    }

    /** {@code x > 0 ? x : slope·x}; the gradient {@code x > 0 ? g : slope·g} (so NaN gets {@code slope·g}), as PyTorch's. */
    public Tensor leakyRelu(float negativeSlope) {
        Tensor a = this;
        return traced(record("LeakyReluBackward0", Ops.unary(UnaryOp.LEAKY_RELU, negativeSlope, a),
                g -> new Tensor[] {Ops.where(a.gt(0f), g, g.mul(negativeSlope))}, a), "LeakyReluBackward0", a,
                "negative_slope", negativeSlope);
    }

    /** {@code 1 / (1 + e^-x)}. */
    public Tensor sigmoid() {
        Tensor out = Ops.unary(UnaryOp.SIGMOID, 0, this);
        return record("SigmoidBackward0", out, g -> new Tensor[] {g.mul(out).mul(out.rsub(1f))}, this);
    }

    public Tensor tanh() {
        Tensor out = Ops.unary(UnaryOp.TANH, 0, this);
        return record("TanhBackward0", out, g -> new Tensor[] {g.mul(out.mul(out).rsub(1f))}, this);
    }

    /** Exact GELU, {@code x·Φ(x)}; d/dx = Φ(x) + x·φ(x). */
    public Tensor gelu() {
        Tensor a = this;
        return record("GeluBackward0", Ops.unary(UnaryOp.GELU, 0, a),
                g -> new Tensor[] {Ops.binary(BinaryOp.GELU_GRAD, a, g)}, a);
    }

    /** The error function {@code erf(x)}, as {@code torch.erf}; d/dx = 2/√π·e^{-x²}. */
    public Tensor erf() {
        Tensor a = this;
        return record("ErfBackward0", Ops.unary(UnaryOp.ERF, 0, a),
                g -> new Tensor[] {g.mul(a.mul(a).neg().exp().mul((float) (2 / Math.sqrt(Math.PI))))}, a);
    }

    /** Softmax along {@code dim}: {@code exp(x_i) / Σ_j exp(x_j)}, computed stably. */
    public Tensor softmax(int dim) {
        int d = Shape.dim(dim, shape.length);
        Tensor y = Ops.softmax(this, d, false);
        return traced(record("SoftmaxBackward0", y, g -> new Tensor[] {y.mul(g.sub(g.mul(y).sum(d, true)))}, this),
                "SoftmaxBackward0", this, "dim", d);
    }

    /** Log-softmax along {@code dim}: {@code x_i - log Σ_j exp(x_j)}, computed stably. */
    public Tensor logSoftmax(int dim) {
        int d = Shape.dim(dim, shape.length);
        Tensor y = Ops.softmax(this, d, true);
        return traced(record("LogSoftmaxBackward0", y, g -> new Tensor[] {g.sub(y.exp().mul(g.sum(d, true)))}, this),
                "LogSoftmaxBackward0", this, "dim", d);
    }

    // ---------------------------------------------------------------- reductions

    /** The sum of all elements (a 0-D tensor). */
    public Tensor sum() {
        int[] in = shape;
        Tensor out = scalar(Ops.sumAll(this));
        return record("SumBackward0", out, g -> new Tensor[] {g.expand(in)}, this);
    }

    /** The sum over {@code dim}; with {@code keepdim} the dimension stays with size 1. */
    public Tensor sum(int dim, boolean keepdim) {
        return sum(new int[] {dim}, keepdim);
    }

    /** The sum over several dimensions. */
    public Tensor sum(int[] dims, boolean keepdim) {
        boolean[] reduce = reduced(dims);
        Tensor out = this.detach();
        for (int d = shape.length - 1; d >= 0; d--) {
            if (reduce[d]) {
                out = Ops.sumDim(out, d);
            }
        }
        int[] kept = out.shape;
        if (!keepdim) {
            out = out.detach().reshape(dropped(reduce));
        }
        int[] in = shape;
        Tensor result = new Tensor(out.data, out.offset, out.shape, out.strides);
        return tracedReduction(record("SumBackward1", result, g -> new Tensor[] {g.reshape(kept).expand(in)}, this),
                "SumBackward1", reduce, keepdim);
    }

    /** The mean of all elements. */
    public Tensor mean() {
        int[] in = shape;
        int n = numel();
        Tensor out = scalar(Ops.sumAll(this) / n);
        return record("MeanBackward0", out, g -> new Tensor[] {g.expand(in).div(n)}, this);
    }

    /** The mean over {@code dim}. */
    public Tensor mean(int dim, boolean keepdim) {
        return mean(new int[] {dim}, keepdim);
    }

    /** The mean over several dimensions. */
    public Tensor mean(int[] dims, boolean keepdim) {
        boolean[] reduce = reduced(dims);
        int count = 1;
        for (int d = 0; d < shape.length; d++) {
            if (reduce[d]) {
                count *= shape[d];
            }
        }
        int[] kept = shape.clone();
        for (int d = 0; d < shape.length; d++) {
            if (reduce[d]) {
                kept[d] = 1;
            }
        }
        Tensor out;
        try (var scope = GradMode.noGrad()) {
            out = detach().sum(dims, keepdim).div(count);
        }
        int[] in = shape;
        int n = count;
        return tracedReduction(record("MeanBackward1", out, g -> new Tensor[] {g.reshape(kept).expand(in).div(n)}, this),
                "MeanBackward1", reduce, keepdim);
    }

    private Tensor tracedReduction(Tensor out, String name, boolean[] reduce, boolean keepdim) {
        if (Trace.active()) {
            int[] dims = java.util.stream.IntStream.range(0, reduce.length).filter(d -> reduce[d]).toArray();
            Trace.op(name, out, new Tensor[] {this}, "dims", dims, "keepdim", keepdim);
        }
        return out;
    }

    /** Variance over {@code dim} ({@code unbiased}: divide by n-1, as PyTorch's default). */
    public Tensor var(int dim, boolean unbiased, boolean keepdim) {
        int d = Shape.dim(dim, shape.length);
        Tensor centered = sub(mean(d, true));
        return centered.mul(centered).sum(d, keepdim).div(shape[d] - (unbiased ? 1 : 0));
    }

    /**
     * The largest element, NaN if any is NaN. As PyTorch's {@code max()}, its gradient is shared evenly by
     * every position holding that value (by every NaN when it is NaN).
     */
    public Tensor max() {
        return extremeAll(false);
    }

    /** The smallest element, NaN if any is NaN; the gradient as {@link #max()}'s. */
    public Tensor min() {
        return extremeAll(true);
    }

    private Tensor extremeAll(boolean min) {
        Tensor a = this;
        Tensor value = Ops.maxDim(detach().reshape(-1), 0, min)[0].reshape();
        return record(min ? "MinBackward1" : "MaxBackward1", value, g -> {
            float v = value.item();
            Tensor holders = Float.isNaN(v) ? a.ne(a) : a.eq(v);
            return new Tensor[] {only(holders, g.div(Ops.sumAll(holders)))};
        }, a);
    }

    /**
     * Largest values along {@code dim}, NaN where a slice holds one; the gradient goes to the position
     * {@link #argmax(int, boolean)} names (the first maximum, or the first NaN).
     */
    public Tensor max(int dim, boolean keepdim) {
        return extreme(dim, keepdim, false);
    }

    /** Smallest values along {@code dim}, NaN where a slice holds one (the gradient as {@link #max(int, boolean)}'s). */
    public Tensor min(int dim, boolean keepdim) {
        return extreme(dim, keepdim, true);
    }

    private Tensor extreme(int dim, boolean keepdim, boolean min) {
        int d = Shape.dim(dim, shape.length);
        Tensor src = shape.length == 0 ? reshape(1) : this;
        Tensor[] vi = Ops.maxDim(src, d, min);
        Tensor values = keepdim ? vi[0] : vi[0].squeeze(d);
        int[] kept = vi[0].shape;
        Tensor idx = vi[1];
        int[] in = shape;
        return record(min ? "MinBackward0" : "MaxBackward0", values, g -> {
            Tensor positions = Tensor.arange(in.length == 0 ? 1 : in[d]);
            int[] view = new int[Math.max(in.length, 1)];
            Arrays.fill(view, 1);
            view[d] = positions.numel();
            Tensor mask = positions.reshape(view).eq(idx);
            return new Tensor[] {only(mask, g.reshape(kept)).reshape(in)};
        }, this);
    }

    /** Index of the largest value along {@code dim}: the first one at ties, the first NaN if there is one. */
    public Tensor argmax(int dim, boolean keepdim) {
        int d = Shape.dim(dim, shape.length);
        Tensor idx = Ops.maxDim(this, d, false)[1];
        return keepdim ? idx : idx.squeeze(d).detach();
    }

    /** Index of the largest element of the flattened tensor. */
    public Tensor argmax() {
        return reshape(-1).detach().argmax(0, false);
    }

    /** Index of the smallest value along {@code dim}: the first one at ties, the first NaN if there is one. */
    public Tensor argmin(int dim, boolean keepdim) {
        int d = Shape.dim(dim, shape.length);
        Tensor idx = Ops.maxDim(this, d, true)[1];
        return keepdim ? idx : idx.squeeze(d).detach();
    }

    private boolean[] reduced(int[] dims) {
        boolean[] r = new boolean[shape.length];
        for (int dim : dims) {
            int d = Shape.dim(dim, shape.length);
            if (r[d]) {
                throw new IllegalArgumentException("dimension " + d + " appears twice in " + Arrays.toString(dims));
            }
            r[d] = true;
        }
        return r;
    }

    private int[] dropped(boolean[] reduce) {
        int n = 0;
        for (boolean b : reduce) {
            n += b ? 0 : 1;
        }
        int[] s = new int[n];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (!reduce[i]) {
                s[j++] = shape[i];
            }
        }
        return s;
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * Matrix product with PyTorch's {@code matmul} semantics: 2-D × 2-D, batched (leading dimensions
     * broadcast), and 1-D operands promoted to a row or column.
     */
    public Tensor matmul(Tensor other) {
        if (dim() == 1 || other.dim() == 1) {
            // Promote, multiply, and drop the added dimension; the views carry the gradient.
            Tensor a = dim() == 1 ? unsqueeze(0) : this;
            Tensor b = other.dim() == 1 ? other.unsqueeze(1) : other;
            if (a.dim() == 0 || b.dim() == 0) {
                return Ops.matmul(this, other);
            }
            Tensor out = a.matmul(b);
            if (dim() == 1) {
                out = out.squeeze(-2);
            }
            return other.dim() == 1 ? out.squeeze(-1) : out;
        }
        Tensor a = this;
        return record(dim() == 2 && other.dim() == 2 ? "MmBackward0" : "BmmBackward0", Ops.matmul(a, other),
                g -> new Tensor[] {g.matmul(other.transpose(-1, -2)), a.transpose(-1, -2).matmul(g)}, a, other);
    }

    /**
     * The affine map of a fully connected layer, {@code y = x·Wᵀ + b}, in one kernel call:
     * {@code x} is (..., in), {@code weight} (out, in), {@code bias} (out) or null; {@code y} is (..., out).
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("linear: weight must be 2-D (out_features, in_features), got shape "
                    + Shape.str(weight.shape));
        }
        int out = weight.shape[0], in = weight.shape[1];
        if (x.dim() == 0 || x.shape[x.dim() - 1] != in) {
            throw new IllegalArgumentException("linear: input shape " + Shape.str(x.shape) + " does not end in in_features="
                    + in + " (weight shape " + Shape.str(weight.shape) + ")");
        }
        if (bias != null && (bias.dim() != 1 || bias.shape[0] != out)) {
            throw new IllegalArgumentException("linear: bias shape " + Shape.str(bias.shape) + " should be [" + out + "]");
        }
        int rows = x.numel() / Math.max(in, 1);
        Tensor x2 = x.detach().reshape(rows, in);
        Tensor y = Ops.linear(x, weight, bias);
        int[] xShape = x.shape;
        return record("AddmmBackward0", y, g -> {
            Tensor g2 = g.reshape(rows, out);
            return new Tensor[] {
                    x.requiresGrad() ? g2.matmul(weight).reshape(xShape) : null,
                    weight.requiresGrad() ? g2.t().matmul(x2) : null,
                    bias != null && bias.requiresGrad() ? Ops.sumRows(g2) : null};
        }, x, weight, bias);
    }

    // ---------------------------------------------------------------- in-place (outside autograd)

    private void checkInPlace(String op) {
        if (GradMode.isEnabled() && requiresGrad) {
            throw new IllegalStateException("a tensor that requires grad is being used in an in-place operation ("
                    + op + "): wrap the update in GradMode.noGrad()");
        }
    }

    /** {@code this += other} in place (broadcasting other). Not recorded by autograd. */
    public Tensor add_(Tensor other) {
        checkInPlace("add_");
        return copy_(Ops.binary(BinaryOp.ADD, this, other));
    }

    /** {@code this += alpha·other} in place. */
    public Tensor add_(Tensor other, float alpha) {
        checkInPlace("add_");
        Ops.addInPlace(this, other, alpha);
        return this;
    }

    /** {@code this *= s} in place. */
    public Tensor mul_(float s) {
        checkInPlace("mul_");
        return copy_(Ops.binaryScalar(BinaryOp.MUL, this, s));
    }

    /** Sets every element to 0. */
    public Tensor zero_() {
        return fill_(0f);
    }

    /** Sets every element to {@code value}. */
    public Tensor fill_(float value) {
        checkInPlace("fill_");
        Ops.fill(this, value);
        return this;
    }

    /** Copies {@code src} (broadcast to this shape) into this tensor's elements, which may be a view. */
    public Tensor copy_(Tensor src) {
        checkInPlace("copy_");
        Ops.copyInto(this, src);
        return this;
    }

    // ---------------------------------------------------------------- printing

    /** PyTorch's format, e.g. {@code tensor([[0.1000, 0.2000]], grad_fn=<AddmmBackward0>)}. */
    @Override
    public String toString() {
        return TensorFormatter.format(this);
    }
}
