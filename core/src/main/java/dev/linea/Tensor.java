package dev.linea;

import dev.linea.autograd.Autograd;
import dev.linea.autograd.Engine;
import dev.linea.autograd.GradMode;
import dev.linea.autograd.InPlaceNodes;
import dev.linea.autograd.Node;
import dev.linea.compute.Indexing;
import dev.linea.compute.IntOps;
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
 * Tensors have a {@link DType}: float32 (the compute type, the default), int64 (indices and labels, exact
 * as Java longs) or bool (comparison results and masks); {@link #dtype()}, {@link #to(DType)}.
 *
 * <p>Computation happens below this class: each method checks its arguments, calls
 * {@code dev.linea.compute} (tensor arithmetic over the backend, no autograd) for the forward values, and
 * records the backward rule with {@link Autograd#record}. The storage is not part of the public API.
 */
public class Tensor {
    static {
        TensorAccess.install(new TensorAccess.Bridge() {
            @Override public float[] data(Tensor t) { return t.floatStorage(); }
            @Override public int offset(Tensor t) { return t.offset; }
            @Override public Tensor create(float[] data, int offset, int[] shape, int[] strides) {
                return new Tensor(data, offset, shape, strides);
            }
            @Override public Node gradFn(Tensor t) { return t.history(); }
            @Override public void setGradFn(Tensor t, Node node) {
                t.gradFn = node;
                t.requiresGrad = true;
            }
            @Override public void accumulateGrad(Tensor leaf, Tensor g, boolean owned) { leaf.accumulateGrad(g, owned); }
            @Override public DType dtype(Tensor t) { return t.dtype; }
            @Override public long[] longs(Tensor t) { return t.longs; }
            @Override public Tensor createLong(long[] data, int offset, int[] shape, int[] strides) {
                return new Tensor(null, data, DType.INT64, offset, shape, strides);
            }
            @Override public Tensor createBool(float[] data, int offset, int[] shape, int[] strides) {
                return new Tensor(data, null, DType.BOOL, offset, shape, strides);
            }
            @Override public void bumpVersion(Tensor t) { t.bumpVersion(); }
        });
    }

    private final float[] data; // FLOAT32 values, or BOOL ones as 0/1 (so masks feed the float kernels as they are)
    private final long[] longs; // INT64 values (data is null then)
    private final DType dtype;
    private final int offset;
    private final int[] shape;
    private final int[] strides;
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private List<java.util.function.UnaryOperator<Tensor>> hooks; // a leaf's gradient hooks, null when none
    private List<java.util.function.Consumer<Tensor>> postAccumulateHooks; // a leaf's, null when none
    // A view's base (never itself a view: a view of a view has the first one's base), null for a non-view;
    // the storage version its gradFn was derived at (a newer one means the base changed in place, and
    // history() re-derives it from the base, as PyTorch does); whether it was made with grad mode off.
    private Tensor viewBase;
    private int viewVersion;
    private boolean viewInNoGrad;

    /**
     * A tensor sharing {@code other}'s storage and layout, as a fresh leaf: the base of
     * {@code dev.linea.nn.Parameter}.
     */
    protected Tensor(Tensor other) {
        this(other.data, other.longs, other.dtype, other.offset, other.shape, other.strides);
        if (!other.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("only Tensors of floating point dtype can require gradients");
        }
    }

    Tensor(float[] data, int[] shape) {
        this(data, 0, shape, Shape.contiguousStrides(shape));
    }

    Tensor(float[] data, int offset, int[] shape, int[] strides) {
        this(data, null, DType.FLOAT32, offset, shape, strides);
    }

    private Tensor(float[] data, long[] longs, DType dtype, int offset, int[] shape, int[] strides) {
        this.data = data;
        this.longs = longs;
        this.dtype = dtype;
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

    /** Uniform integers in [low, high), an int64 tensor (e.g. class labels), like {@code torch.randint}. */
    public static Tensor randint(int low, int high, int... shape) {
        return randint(Generator.global(), low, high, shape);
    }

    public static Tensor randint(Generator gen, int low, int high, int... shape) {
        if (high <= low) {
            throw new IllegalArgumentException("randint needs low < high, got low=" + low + ", high=" + high);
        }
        long[] d = new long[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = low + gen.nextInt(high - low);
        }
        return new Tensor(null, d, DType.INT64, 0, shape.clone(), Shape.contiguousStrides(shape));
    }

    /** {@code [0, 1, ..., end-1]} as int64, like {@code torch.arange(end)}. */
    public static Tensor arange(int end) {
        if (end < 0) {
            throw new IllegalArgumentException("upper bound and larger bound inconsistent with step sign");
        }
        long[] d = new long[end];
        for (int i = 0; i < end; i++) {
            d[i] = i;
        }
        return ofLongs(d, end);
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

    /** The single value of a one-element tensor (an int64 one rounded to float; see {@link #itemLong()}). */
    public float item() {
        if (numel() != 1) {
            throw new IllegalStateException("item() needs a tensor with one element, but shape is " + Shape.str(shape)
                    + " (" + numel() + " elements)");
        }
        return longs != null ? longs[offset] : data[offset];
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
        return longs != null ? longs[pos] : data[pos];
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
        if (viewBase != null) {
            history();
        }
        return requiresGrad;
    }

    /** Marks a leaf tensor as needing gradients; returns this tensor. */
    public Tensor requiresGrad(boolean value) {
        if (value && !dtype.isFloatingPoint()) {
            throw new IllegalStateException("only Tensors of floating point dtype can require gradients");
        }
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
        return history() == null;
    }

    /** The name of the operation that produced this tensor, e.g. {@code AddmmBackward0}, or null for a leaf. */
    public String gradFnName() {
        Node n = history();
        return n == null ? null : n.name();
    }

    /**
     * This tensor's node; for a view whose base was changed in place since, re-derived from the base first
     * ({@code AsStridedBackward0}), as PyTorch's {@code grad_fn}. A view made in no-grad mode is not: using it
     * with grad mode on then fails with PyTorch's message.
     */
    private Node history() {
        if (viewBase != null && viewBase.requiresGrad) {
            int v = version();
            if (v != viewVersion) {
                if (viewInNoGrad) {
                    if (GradMode.isEnabled()) {
                        throw new IllegalStateException("A view was created in no_grad mode and its base or another "
                                + "view of its base has been modified inplace with grad mode enabled. Given that this "
                                + "use case is ambiguous and error-prone, it is forbidden. You can clarify your code by "
                                + "moving both the view and the inplace either both inside the no_grad block (if you "
                                + "don't want the inplace to be tracked) or both outside (if you want the inplace to "
                                + "be tracked). (view of shape " + Shape.str(shape) + ")");
                    }
                    return gradFn;
                }
                viewVersion = v;
                gradFn = InPlaceNodes.asStrided(this, viewBase);
                requiresGrad = true;
            }
        }
        return gradFn;
    }

    /** Makes {@code out}, a tensor over this one's storage, a view of this tensor's base. */
    private Tensor asView(Tensor out) {
        out.viewBase = viewBase != null ? viewBase : this;
        out.viewVersion = version();
        out.viewInNoGrad = !GradMode.isEnabled();
        return out;
    }

    /**
     * Adds {@code g} to this leaf's gradient. With {@code owned} (no other tensor shares g's storage, as
     * the engine guarantees) a dense g becomes the gradient without a copy, as PyTorch's AccumulateGrad
     * steals a gradient nobody else holds.
     */
    void accumulateGrad(Tensor g, boolean owned) {
        if (hooks != null) {
            for (java.util.function.UnaryOperator<Tensor> h : List.copyOf(hooks)) {
                Tensor r = h.apply(g);
                if (r != null && r != g) {
                    g = r;
                    owned = false; // the hook's caller may hold it
                }
            }
        }
        Tensor gc = Arrays.equals(g.shape, shape) ? g : g.reshape(shape);
        if (grad == null) {
            boolean dense = owned && gc.isContiguous() && gc.offset == 0 && gc.data.length == gc.numel() && gc.data != data;
            grad = new Tensor(dense ? gc.data : gc.toFloatArray(), shape.clone());
        } else {
            Ops.addInPlace(grad, gc, 1f);
        }
        if (postAccumulateHooks != null) {
            for (java.util.function.Consumer<Tensor> h : List.copyOf(postAccumulateHooks)) {
                h.accept(this);
            }
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
        return sameStorage(offset, shape, strides);
    }

    /** A tensor over this one's storage and dtype with another layout (a view, outside the graph). */
    private Tensor sameStorage(int offset, int[] shape, int[] strides) {
        return new Tensor(data, longs, dtype, offset, shape, strides);
    }

    /** The storage as floats: the array itself, or for INT64 a converted copy (read-only use by compute). */
    private float[] floatStorage() {
        if (longs == null) {
            return data;
        }
        float[] f = new float[longs.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = longs[i];
        }
        return f;
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

    /**
     * A view with a new shape (one dimension may be -1), sharing storage. As PyTorch's, it works on a
     * non-contiguous tensor whenever each run of merged or split dimensions is itself contiguous
     * ({@link dev.linea.internal.ViewStrides}); otherwise it fails and {@link #reshape} copies.
     */
    public Tensor view(int... newShape) {
        int[] s = Shape.infer(newShape, numel(), shape);
        int[] st = dev.linea.internal.ViewStrides.of(shape, strides, s);
        if (st == null) {
            throw new IllegalStateException("view size is not compatible with input tensor's size and stride (at least "
                    + "one dimension spans across two contiguous subspaces). Use .reshape(...) instead. (shape "
                    + Shape.str(shape) + ", strides " + Shape.str(strides) + ", requested view " + Shape.str(s) + ")");
        }
        Tensor out = asView(sameStorage(offset, s, st));
        int[] in = shape;
        return record("ViewBackward0", out, g -> new Tensor[] {g.reshape(in)}, this);
    }

    /** Like {@link #view}, copying when the layout requires it. */
    public Tensor reshape(int... newShape) {
        int[] s = Shape.infer(newShape, numel(), shape);
        return isContiguous() || dev.linea.internal.ViewStrides.of(shape, strides, s) != null
                ? view(newShape) : contiguous().view(newShape);
    }

    /** A contiguous tensor with the same values: this one if already contiguous. */
    public Tensor contiguous() {
        if (isContiguous()) {
            return this;
        }
        if (!dtype.isFloatingPoint()) {
            return IntOps.convert(this, dtype);
        }
        return record("CloneBackward0", Ops.contiguous(this), g -> new Tensor[] {g}, this);
    }

    /** A copy with its own storage (differentiable). */
    @Override
    public final Tensor clone() {
        if (!dtype.isFloatingPoint()) {
            return IntOps.convert(this, dtype);
        }
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
        Tensor out = record("TransposeBackward0", asView(sameStorage(offset, s, st)), g -> new Tensor[] {g.transpose(a, b)}, this);
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
        Tensor out = record("PermuteBackward0", asView(sameStorage(offset, s, st)), g -> new Tensor[] {g.permute(inverse)}, this);
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
        return traced(record("SqueezeBackward1", asView(sameStorage(offset, s, st)), g -> new Tensor[] {g.reshape(in)}, this),
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
        return traced(record("UnsqueezeBackward0", asView(sameStorage(offset, s, st)), g -> new Tensor[] {g.squeeze(d)}, this),
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
        Tensor out = asView(sameStorage(offset + s0 * strides[d], s, st));
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
        return sameStorage(offset + s0 * strides[d], s, st);
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
        return record("ExpandBackward0", asView(sameStorage(offset, s, st)), g -> new Tensor[] {g}, this);
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
        Tensor out = zeros(outShape, first.dtype);
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
        if (integral(this, other)) {
            return IntOps.binary(this, other, Long::sum);
        }
        if (bothBool(other)) {
            return IntOps.asBool(Ops.binary(BinaryOp.MAX, this, other)); // bool + bool is "or", as PyTorch's
        }
        return record("AddBackward0", Ops.binary(BinaryOp.ADD, this, other), g -> new Tensor[] {g, g}, this, other);
    }

    public Tensor add(float s) {
        return traced(record("AddBackward0", Ops.binaryScalar(BinaryOp.ADD, this, s), g -> new Tensor[] {g}, this), "AddBackward0", this, "other", s);
    }

    public Tensor sub(Tensor other) {
        if (dtype == DType.BOOL && other.dtype == DType.BOOL) {
            throw new IllegalArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. "
                    + "Use the `^` or `logical_xor()` operator instead.");
        }
        if (integral(this, other)) {
            return IntOps.binary(this, other, (x, y) -> x - y);
        }
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
        if (integral(this, other)) {
            return IntOps.binary(this, other, (x, y) -> x * y);
        }
        if (bothBool(other)) {
            return IntOps.asBool(Ops.binary(BinaryOp.MUL, this, other)); // bool · bool is "and"
        }
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
        if (dtype == DType.BOOL) {
            throw new IllegalArgumentException("Negation, the `-` operator, on a bool tensor is not supported. If you are "
                    + "trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        }
        if (dtype == DType.INT64) {
            return IntOps.binary(this, scalar(0f), (x, y) -> -x);
        }
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

    // Comparisons give bool tensors and are not differentiable; two integer operands compare exactly, in longs.
    public Tensor gt(Tensor o) { return compare(BinaryOp.GT, o, (x, y) -> x > y); }
    public Tensor lt(Tensor o) { return compare(BinaryOp.LT, o, (x, y) -> x < y); }
    public Tensor ge(Tensor o) { return compare(BinaryOp.GE, o, (x, y) -> x >= y); }
    public Tensor le(Tensor o) { return compare(BinaryOp.LE, o, (x, y) -> x <= y); }
    public Tensor eq(Tensor o) { return compare(BinaryOp.EQ, o, (x, y) -> x == y); }
    public Tensor ne(Tensor o) { return compare(BinaryOp.NE, o, (x, y) -> x != y); }
    public Tensor gt(float s) { return compare(BinaryOp.GT, s, (x, y) -> x > y); }
    public Tensor lt(float s) { return compare(BinaryOp.LT, s, (x, y) -> x < y); }
    public Tensor ge(float s) { return compare(BinaryOp.GE, s, (x, y) -> x >= y); }
    public Tensor le(float s) { return compare(BinaryOp.LE, s, (x, y) -> x <= y); }
    public Tensor eq(float s) { return compare(BinaryOp.EQ, s, (x, y) -> x == y); }
    public Tensor ne(float s) { return compare(BinaryOp.NE, s, (x, y) -> x != y); }

    private Tensor compare(BinaryOp op, Tensor o, IntOps.LongPredicate2 exact) {
        if (integral(this, o)) {
            return IntOps.compare(this, o, exact);
        }
        return IntOps.asBool(Ops.binary(op, this, o));
    }

    private Tensor compare(BinaryOp op, float s, IntOps.LongPredicate2 exact) {
        if (longs != null && s == Math.rint(s) && Math.abs(s) < 0x1p63f) {
            return IntOps.compare(this, ofLongs(new long[] {(long) s}), exact);
        }
        return IntOps.asBool(Ops.binaryScalar(op, this, s));
    }

    /** {@code torch.where(condition, input, other)}: {@code input.where(condition, other)}. */
    public static Tensor where(Tensor condition, Tensor input, Tensor other) {
        return input.where(condition, other);
    }

    /** {@code mask ? this : other}, broadcasting, like {@code torch.where(mask, this, other)}; the mask gets no gradient. */
    public Tensor where(Tensor mask, Tensor other) {
        if (mask.dtype != DType.BOOL) {
            throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with dtype "
                    + mask.dtype.scalarName());
        }
        if (integral(this, other)) {
            // Exact, in longs: the chosen side plus zero from the other.
            Tensor m = mask.toLong();
            return IntOps.binary(IntOps.binary(this, m, (x, k) -> k != 0 ? x : 0),
                    IntOps.binary(other, m, (y, k) -> k != 0 ? 0 : y), Long::sum);
        }
        if (bothBool(other)) {
            return IntOps.asBool(Ops.where(mask, this, other));
        }
        // Selects rather than blends: this·keep + other·(1-keep) would turn an unchosen inf into NaN.
        Tensor out = Ops.where(mask, this, other);
        Tensor keep = mask.ne(0f), drop = mask.eq(0f); // the mask as it is now, whatever happens to it later
        return record("WhereBackward0", out, g -> new Tensor[] {only(keep, g), only(drop, g)}, this, other);
    }

    // ---------------------------------------------------------------- activations

    /** {@code max(x, 0)}: NaN stays NaN (and its gradient passes), as {@code torch.relu}. */
    public Tensor relu() {
        // The rule reads the output (positive exactly where the input is, NaN where it is NaN), as PyTorch's
        // saves its result: changing the input in place afterwards does not spoil the gradient.
        Tensor out = Ops.unary(UnaryOp.RELU, 0, this);
        return record("ReluBackward0", out, g -> new Tensor[] {Ops.binary(BinaryOp.RELU_GRAD, out, g)}, this);
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
        if (!dtype.isFloatingPoint()) {
            return IntOps.sum(this, reduced(java.util.stream.IntStream.range(0, shape.length).toArray())).reshape();
        }
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
        if (!dtype.isFloatingPoint()) {
            Tensor s = IntOps.sum(this, reduce);
            return keepdim ? s : s.reshape(dropped(reduce));
        }
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
        checkMeanDtype();
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
        checkMeanDtype();
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
        if (longs != null) {
            long[] v = toLongArray(); // exact, as PyTorch's max() of an int64 tensor
            if (v.length == 0) {
                throw new IllegalArgumentException("max(): Expected reduction dim to be specified for input.numel() == 0. "
                        + "Specify the reduction dim with the 'dim' argument.");
            }
            long best = v[0];
            for (long x : v) {
                best = min ? Math.min(best, x) : Math.max(best, x);
            }
            return ofLongs(new long[] {best}).reshape();
        }
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
        if (longs != null && shape.length > 0) {
            Tensor values = gather(d, int64Extreme(d, min)); // exact in longs, the first extreme at ties
            return keepdim ? values : values.squeeze(d);
        }
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
        Tensor idx = longs != null && shape.length > 0 ? int64Extreme(d, false) : Ops.maxDim(this, d, false)[1].to(DType.INT64);
        return keepdim ? idx : idx.squeeze(d).detach();
    }

    /** Index of the largest element of the flattened tensor. */
    public Tensor argmax() {
        return reshape(-1).detach().argmax(0, false);
    }

    /** Index of the smallest value along {@code dim}: the first one at ties, the first NaN if there is one. */
    public Tensor argmin(int dim, boolean keepdim) {
        int d = Shape.dim(dim, shape.length);
        Tensor idx = longs != null && shape.length > 0 ? int64Extreme(d, true) : Ops.maxDim(this, d, true)[1].to(DType.INT64);
        return keepdim ? idx : idx.squeeze(d).detach();
    }

    /** Where an int64 tensor's first maximum (minimum) along {@code d} is, keepdim: a stable sort's first. */
    private Tensor int64Extreme(int d, boolean min) {
        if (shape[d] == 0) {
            throw new IllegalArgumentException("max/min over dimension " + d + " of size 0 (shape " + Shape.str(shape) + ")");
        }
        return Indexing.sortIndices(this, d, !min, 1);
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

    // ---------------------------------------------------------------- in-place, recorded by autograd

    /**
     * Checks that an in-place op may change this tensor, with PyTorch's messages: not a leaf that
     * requires grad (nor a view of one) while grad mode is on.
     */
    private void checkInPlace(String op) {
        if (!GradMode.isEnabled()) {
            return;
        }
        if (viewBase == null && requiresGrad && gradFn == null) {
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation. ("
                    + op + " on a tensor of shape " + Shape.str(shape) + "; wrap the update in GradMode.noGrad())");
        }
        if (viewBase != null && viewBase.requiresGrad && viewBase.gradFn == null) {
            throw new IllegalStateException("a view of a leaf Variable that requires grad is being used in an "
                    + "in-place operation. (" + op + " on a view of shape " + Shape.str(shape) + " of a leaf of shape "
                    + Shape.str(viewBase.shape) + ")");
        }
    }

    /**
     * Runs {@code update} on this tensor's elements and, when autograd records it (grad mode on and this
     * tensor, its base if a view, or an operand requires grad), makes this tensor the output of a node
     * {@code name} whose inputs are this tensor's previous value and the operands, with {@code rule}; on a
     * view, the base's history is rewritten instead ({@link #inPlaceOnView}). Bumps the version.
     */
    private Tensor inPlace(String op, String name, Runnable update, Autograd.Rule rule, Tensor... operands) {
        checkInPlace(op);
        boolean record = GradMode.isEnabled() && dtype.isFloatingPoint() && (requiresGrad()
                || viewBase != null && viewBase.requiresGrad || Arrays.stream(operands).anyMatch(Tensor::requiresGrad));
        if (record && viewBase != null) {
            return inPlaceOnView(op, name, update, rule, operands);
        }
        Tensor[] inputs = null;
        Node node = null;
        if (record) {
            // Made before the write, so the versions it saves are the operands' before it: an operand that
            // shares this storage (y.mul_(y)) then fails backward with PyTorch's message.
            inputs = new Tensor[operands.length + 1];
            inputs[0] = snapshot();
            System.arraycopy(operands, 0, inputs, 1, operands.length);
            node = InPlaceNodes.inPlace(name, this, rule, inputs);
        }
        try (var scope = GradMode.noGrad()) {
            update.run();
        }
        bumpVersion();
        if (record) {
            Trace.op(name, this, inputs);
            gradFn = node;
            requiresGrad = true;
        }
        return this;
    }

    /**
     * An in-place op on a view, recorded as PyTorch records it: the base's node becomes {@code CopySlices}
     * (the op's gradient routed through the view's region of the base's gradient) and this view's becomes
     * {@code AsStridedBackward0} of the new base. The base comes to require grad when an operand does.
     */
    private Tensor inPlaceOnView(String op, String name, Runnable update, Autograd.Rule rule, Tensor[] operands) {
        if (viewInNoGrad) {
            throw new IllegalStateException("A view was created in no_grad mode and is being modified inplace with grad "
                    + "mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can "
                    + "clarify your code by moving both the view and the inplace either both inside the no_grad block "
                    + "(if you don't want the inplace to be tracked) or both outside (if you want the inplace to be "
                    + "tracked). (" + op + " on a view of shape " + Shape.str(shape) + ")");
        }
        if (InPlaceNodes.repeats(shape, strides)) {
            throw new IllegalStateException("unsupported operation: more than one element of the written-to tensor "
                    + "refers to a single memory location. Please clone() the tensor before performing the operation. ("
                    + op + " on a view of shape " + Shape.str(shape) + ", strides " + Shape.str(strides) + ")");
        }
        Tensor base = viewBase;
        Tensor baseBefore = base.snapshot();
        history();
        Node copySlices = InPlaceNodes.copySlices(base, baseBefore, this, snapshot(), name, rule, operands);
        try (var scope = GradMode.noGrad()) {
            update.run();
        }
        bumpVersion();
        base.gradFn = copySlices;
        base.requiresGrad = true;
        if (Trace.active()) { // an exporter sees the rewrite (and refuses it) rather than miss the write
            Tensor[] inputs = new Tensor[operands.length + 1];
            inputs[0] = baseBefore;
            System.arraycopy(operands, 0, inputs, 1, operands.length);
            Trace.op("CopySlices", base, inputs);
        }
        gradFn = InPlaceNodes.asStrided(this, base);
        requiresGrad = true;
        viewVersion = version();
        return this;
    }

    /** This tensor's storage, layout and history as they are now: the input of an in-place op's node. */
    private Tensor snapshot() {
        Tensor t = sameStorage(offset, shape, strides);
        t.gradFn = gradFn;
        t.requiresGrad = requiresGrad;
        return t;
    }

    /** {@code this += other} in place (broadcasting other). */
    public Tensor add_(Tensor other) {
        return add_(other, 1f);
    }

    /** {@code this += alpha·other} in place (broadcasting other). */
    public Tensor add_(Tensor other, float alpha) {
        return inPlace("add_", "AddBackward0", () -> {
                    if (dtype.isFloatingPoint()) {
                        Ops.addInPlace(this, other.detach(), alpha);
                    } else {
                        rawCopy(add(other.mul(alpha)));
                    }
                },
                g -> new Tensor[] {g, alpha == 1f ? g : g.mul(alpha)}, other);
    }

    /** {@code this -= other} in place (broadcasting other). */
    public Tensor sub_(Tensor other) {
        return sub_(other, 1f);
    }

    /** {@code this -= alpha·other} in place (broadcasting other). */
    public Tensor sub_(Tensor other, float alpha) {
        return inPlace("sub_", "SubBackward0", () -> {
                    if (dtype.isFloatingPoint()) {
                        Ops.addInPlace(this, other.detach(), -alpha);
                    } else {
                        rawCopy(sub(other.mul(alpha)));
                    }
                },
                g -> new Tensor[] {g, g.mul(-alpha)}, other);
    }

    /** {@code this /= s} in place (float32 tensors: true division, as PyTorch's). */
    public Tensor div_(float s) {
        requireFloatForDivision();
        return inPlace("div_", "DivBackward0", () -> rawCopy(Ops.binaryScalar(BinaryOp.DIV, this, s)),
                g -> new Tensor[] {g.div(s)});
    }

    /** {@code this /= other} in place (broadcasting other; float32 tensors: true division). */
    public Tensor div_(Tensor other) {
        requireFloatForDivision();
        Tensor[] old = new Tensor[1];
        return inPlace("div_", "DivBackward0", () -> {
            if (other.requiresGrad()) {
                old[0] = new Tensor(toFloatArray(), shape.clone()); // other's gradient needs the old value
            }
            rawCopy(Ops.binary(BinaryOp.DIV, this, other.detach()));
        }, g -> new Tensor[] {g.div(other), old[0] == null ? null : g.mul(old[0]).div(other.mul(other)).neg()}, other);
    }

    /** True division writes floats: an int64 or bool tensor cannot hold them (PyTorch's message). */
    private void requireFloatForDivision() {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("result type Float can't be cast to the desired output type "
                    + dtype.scalarName() + " (div_ on a " + dtype + " tensor of shape "
                    + Shape.str(shape) + "; convert it with toFloat() first)");
        }
    }

    /** {@code this *= s} in place. */
    public Tensor mul_(float s) {
        return inPlace("mul_", "MulBackward0", () -> rawCopy(Ops.binaryScalar(BinaryOp.MUL, this, s)),
                g -> new Tensor[] {g.mul(s)});
    }

    /** {@code this *= other} in place (broadcasting other). */
    public Tensor mul_(Tensor other) {
        Tensor[] old = new Tensor[1];
        return inPlace("mul_", "MulBackward0", () -> {
            if (other.requiresGrad()) {
                old[0] = new Tensor(toFloatArray(), shape.clone()); // other's gradient needs the old value
            }
            rawCopy(mul(other));
        }, g -> new Tensor[] {g.mul(other), old[0] == null ? null : g.mul(old[0])}, other);
    }

    /** Sets every element to 0. */
    public Tensor zero_() {
        return inPlace("zero_", "ZeroBackward0", () -> Ops.fill(this, 0f), g -> new Tensor[] {zerosLike(g)});
    }

    /** Sets every element to {@code value}. */
    public Tensor fill_(float value) {
        return inPlace("fill_", "FillBackward2", () -> {
            if (dtype.isFloatingPoint()) {
                Ops.fill(this, value);
            } else {
                rawCopy(scalar(value));
            }
        }, g -> new Tensor[] {zerosLike(g)});
    }

    /** Copies {@code src} (broadcast to this shape) into this tensor's elements, which may be a view. */
    public Tensor copy_(Tensor src) {
        return inPlace("copy_", "CopyBackwards", () -> rawCopy(src.detach()), g -> new Tensor[] {zerosLike(g), g}, src);
    }

    /** Writes {@code src} (broadcast) into this tensor's elements in this tensor's dtype; no autograd, no version. */
    private void rawCopy(Tensor src) {
        if (dtype == DType.INT64) {
            IntOps.copyInto(this, src);
            return;
        }
        Ops.copyInto(this, dtype == DType.BOOL && src.dtype != DType.BOOL ? src.to(DType.BOOL) : src);
    }

    // ---------------------------------------------------------------- versions and gradient hooks

    /**
     * How many times this tensor's storage was changed in place, as PyTorch's {@code _version}: shared by
     * every view of the storage. Autograd compares it with the version an op saw to refuse a backward
     * through a changed value.
     */
    public int version() {
        int[] v = InPlace.VERSIONS.get(storage());
        return v == null ? 0 : v[0];
    }

    private void bumpVersion() {
        InPlace.VERSIONS.computeIfAbsent(storage(), k -> new int[1])[0]++;
    }

    /** The array this tensor's values live in: the floats, or the longs of an int64 tensor. */
    private Object storage() {
        return data != null ? data : longs;
    }

    /**
     * Keeps this non-leaf tensor's gradient in {@link #grad()} after backward, as {@code retain_grad()};
     * on a leaf it does nothing (a leaf's gradient is kept anyway).
     */
    public void retainGrad() {
        if (!requiresGrad()) {
            throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
        }
        if (gradFn != null) {
            gradFn.retainGrad(this);
        }
    }

    /** Whether this non-leaf tensor keeps its gradient ({@link #retainGrad()}), as {@code retains_grad}. */
    public boolean retainsGrad() {
        return history() != null && gradFn.retainsGrad();
    }

    /**
     * Registers {@code hook} on this tensor's gradient, as {@code register_hook}: each backward calls it with
     * the gradient of this tensor (before a leaf accumulates it) and uses what it returns in its place
     * (null keeps the gradient). The handle's {@code remove()} takes the hook off.
     */
    public dev.linea.autograd.RemovableHandle registerHook(java.util.function.UnaryOperator<Tensor> hook) {
        java.util.Objects.requireNonNull(hook, "hook");
        if (!requiresGrad()) {
            throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        }
        if (gradFn != null) {
            return gradFn.registerHook(hook);
        }
        if (hooks == null) {
            hooks = new java.util.concurrent.CopyOnWriteArrayList<>();
        }
        hooks.add(hook);
        List<java.util.function.UnaryOperator<Tensor>> list = hooks;
        return () -> list.remove(hook);
    }

    /**
     * Registers {@code hook} to run after this leaf's gradient is accumulated, as PyTorch 2's
     * {@code register_post_accumulate_grad_hook}: each backward that reaches this leaf calls it once, with this
     * tensor, when {@link #grad()} holds the sum of every contribution of that backward (the engine visits a
     * leaf only after all the ops that use it). Data-parallel training starts a bucket's allreduce from here
     * while the rest of backward runs. The handle's {@code remove()} takes the hook off.
     *
     * @throws IllegalStateException on a non-leaf tensor or one that doesn't require grad
     */
    public dev.linea.autograd.RemovableHandle registerPostAccumulateGradHook(java.util.function.Consumer<Tensor> hook) {
        java.util.Objects.requireNonNull(hook, "hook");
        if (!requiresGrad) {
            throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        }
        if (gradFn != null) {
            throw new IllegalStateException("post accumulate grad hooks cannot be registered on non-leaf tensors");
        }
        if (postAccumulateHooks == null) {
            postAccumulateHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
        }
        postAccumulateHooks.add(hook);
        List<java.util.function.Consumer<Tensor>> list = postAccumulateHooks;
        return () -> list.remove(hook);
    }

    // ---------------------------------------------------------------- GELU's tanh approximation (issue 11)

    /**
     * GELU with PyTorch's {@code approximate} argument: {@code "none"} is {@link #gelu()}; {@code "tanh"} is
     * {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}, whose derivative is
     * {@code 0.5·(1 + t) + 0.5·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²)}.
     */
    public Tensor gelu(String approximate) {
        if ("none".equals(approximate)) {
            return gelu();
        }
        if (!"tanh".equals(approximate)) {
            throw new IllegalArgumentException("approximate argument must be either none or tanh.");
        }
        float k = (float) Math.sqrt(2 / Math.PI), c = 0.044715f;
        Tensor x = this, t, out;
        try (var scope = GradMode.noGrad()) {
            t = x.mul(x).mul(x).mul(c).add(x).mul(k).tanh();
            out = x.mul(0.5f).mul(t.add(1f));
        }
        return record("GeluBackward0", out, g -> {
            Tensor inner = x.mul(x).mul(3 * c).add(1f).mul(k);
            Tensor d = t.add(1f).mul(0.5f).add(x.mul(0.5f).mul(t.mul(t).rsub(1f)).mul(inner));
            return new Tensor[] {g.mul(d)};
        }, x);
    }

    // ---------------------------------------------------------------- indexing (int64 indices, bool masks)

    /**
     * {@code out[i][j][k] = this[i][index[i][j][k]][k]} for {@code dim = 1} (likewise for other dims), like
     * {@code torch.gather}: {@code index} is int64 with this tensor's rank and no larger apart from {@code dim};
     * out has index's shape. The gradient scatter-adds back to the gathered positions.
     */
    public Tensor gather(int dim, Tensor index) {
        int d = Shape.dim(dim, Math.max(shape.length, 1));
        int[] in = shape;
        return record("GatherBackward0", Indexing.gather(this, d, index),
                g -> new Tensor[] {zeros(in).scatterAdd(d, index, g)}, this);
    }

    /**
     * A copy of this tensor with {@code src}'s values written at the positions {@code index} names along
     * {@code dim} ({@code out[i][index[i][j]] = src[i][j]} for dim 1), like {@code torch.scatter}. Where an
     * index repeats, the last write wins. Gradients: this tensor's is the upstream one with the written
     * positions zeroed; src's is the upstream one gathered at index.
     */
    public Tensor scatter(int dim, Tensor index, Tensor src) {
        int d = Shape.dim(dim, Math.max(shape.length, 1));
        int[] srcShape = src.shape;
        return record("ScatterBackward0", Indexing.scatter("scatter", this, d, index, src, 0f, false),
                g -> new Tensor[] {g.scatter(d, index, 0f), padTo(g.gather(d, index), srcShape)}, this, src);
    }

    /** {@link #scatter(int, Tensor, Tensor)} writing the one {@code value} everywhere index points. */
    public Tensor scatter(int dim, Tensor index, float value) {
        int d = Shape.dim(dim, Math.max(shape.length, 1));
        return record("ScatterBackward1", Indexing.scatter("scatter", this, d, index, null, value, false),
                g -> new Tensor[] {g.scatter(d, index, 0f)}, this);
    }

    /**
     * A copy of this tensor with {@code src}'s values added at the positions {@code index} names along
     * {@code dim} ({@code out[i][index[i][j]] += src[i][j]} for dim 1), like {@code torch.scatter_add};
     * repeated indices add up, in index order.
     */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        int d = Shape.dim(dim, Math.max(shape.length, 1));
        int[] srcShape = src.shape;
        return record("ScatterAddBackward0", Indexing.scatter("scatter_add", this, d, index, src, 0f, true),
                g -> new Tensor[] {g, padTo(g.gather(d, index), srcShape)}, this, src);
    }

    /** {@code g} (the leading block of a larger tensor) placed in zeros of {@code shape}. */
    private static Tensor padTo(Tensor g, int[] shape) {
        if (Arrays.equals(g.shape, shape)) {
            return g;
        }
        Tensor full = zeros(shape), block = full;
        for (int d = 0; d < g.shape.length; d++) {
            block = block.sliceNoGrad(d, 0, g.shape[d], 1);
        }
        try (var scope = GradMode.noGrad()) {
            block.copy_(g);
        }
        return full;
    }

    /**
     * The slices at the int64 positions {@code index} (1-D) along {@code dim}, like {@code torch.index_select};
     * an index outside {@code [0, size)} gives PyTorch's "index out of range in self".
     */
    public Tensor indexSelect(int dim, Tensor index) {
        int d = Shape.dim(dim, Math.max(shape.length, 1));
        int[] idx = Indexing.vectorIndex("index_select", index, shape.length == 0 ? 1 : shape[d]);
        int[] in = shape;
        return record("IndexSelectBackward0", Indexing.indexSelect(this, d, idx),
                g -> new Tensor[] {zeros(in).indexAdd(d, index, g)}, this);
    }

    /**
     * A copy of this float32 tensor with {@code source}'s slices added at the int64 positions {@code index}
     * along {@code dim}, like {@code torch.index_add}; repeated indices add up.
     */
    public Tensor indexAdd(int dim, Tensor index, Tensor source) {
        int d = Shape.dim(dim, Math.max(shape.length, 1));
        int[] idx = Indexing.vectorIndex("index_add", index, shape.length == 0 ? 1 : shape[d]);
        int[] want = shape.length == 0 ? new int[] {1} : shape.clone();
        want[d] = idx.length;
        if (source.numel() != Shape.numel(want)) {
            throw new IllegalArgumentException("index_add_(): Source/destination tensor must have same slice shapes, "
                    + "got source " + Shape.str(source.shape) + " for " + idx.length + " indices into " + Shape.str(shape));
        }
        return record("IndexAddBackward0", Indexing.indexAdd(this, d, idx, source, Integer.MIN_VALUE),
                g -> new Tensor[] {g, g.indexSelect(d, index).reshape(source.shape)}, this, source);
    }

    /**
     * {@code value} where the bool {@code mask} (broadcast to this shape) is true, this tensor elsewhere,
     * like {@code masked_fill}; the gradient passes where the mask is false.
     */
    public Tensor maskedFill(Tensor mask, float value) {
        Indexing.checkBoolMask(mask, "masked_fill_ only supports boolean masks, but got mask with dtype "
                + mask.dtype.scalarName());
        if (dtype == DType.INT64) {
            long v = (long) value;
            return IntOps.binary(this, mask.toLong(), (x, m) -> m != 0 ? v : x);
        }
        Tensor out = Ops.where(mask, scalar(value), this);
        return record("MaskedFillBackward0", dtype == DType.BOOL ? out.to(DType.BOOL) : out,
                g -> new Tensor[] {g.maskedFill(mask, 0f)}, this);
    }

    /** The elements where the bool {@code mask} (broadcasting with this tensor) is true, as 1-D, like {@code masked_select}. */
    public Tensor maskedSelect(Tensor mask) {
        Indexing.checkBoolMask(mask, "masked_select: expected BoolTensor or ByteTensor for mask");
        int[] s = Shape.broadcast(shape, mask.shape);
        return record("MaskedSelectBackward0", Indexing.maskedSelect(this, mask),
                g -> new Tensor[] {zeros(s).maskedScatter(mask, g)}, this);
    }

    /**
     * This tensor with the true positions of the bool {@code mask} filled, in order, from {@code source},
     * like {@code masked_scatter}.
     */
    public Tensor maskedScatter(Tensor mask, Tensor source) {
        Indexing.checkBoolMask(mask, "masked_scatter_ only supports boolean masks, but got mask with dtype "
                + mask.dtype.scalarName());
        int[] srcShape = source.shape;
        int[] s = Shape.broadcast(shape, mask.shape);
        Tensor base = Arrays.equals(s, shape) ? this : expand(s);
        return record("MaskedScatterBackward0", Indexing.maskedScatter(base, mask, source), g -> {
            Tensor picked = g.maskedSelect(mask);
            Tensor gs = zeros(new int[] {Shape.numel(srcShape)});
            try (var scope = GradMode.noGrad()) {
                gs.sliceNoGrad(0, 0, picked.numel(), 1).copy_(picked);
            }
            return new Tensor[] {g.maskedFill(mask, 0f), gs.reshape(srcShape)};
        }, this, source);
    }

    /**
     * PyTorch's {@code x[index]} with a tensor index: a bool mask over the leading dimensions selects
     * those rows (shape (count, remaining dims...)); an int64 index picks along dimension 0 (shape
     * (index shape..., remaining dims...)). Differentiable.
     */
    public Tensor index(Tensor index) {
        if (index.dtype == DType.BOOL) {
            int k = index.dim();
            for (int d = 0; d < k; d++) {
                if (d >= shape.length || index.shape[d] != shape[d]) {
                    throw new IndexOutOfBoundsException("The shape of the mask " + Arrays.toString(index.shape)
                            + " at index " + d + " does not match the shape of the indexed tensor "
                            + Arrays.toString(shape) + " at index " + d);
                }
            }
            if (k == 0) {
                return index.item() != 0 ? unsqueeze(0) : unsqueeze(0).slice(0, 0, 0);
            }
            Tensor rows = flatten(0, k - 1);
            Tensor at = Indexing.nonzero(index.reshape(-1)).reshape(-1);
            return rows.indexSelect(0, at);
        }
        if (index.dtype != DType.INT64) {
            throw new IndexOutOfBoundsException("tensors used as indices must be long, byte or bool tensors");
        }
        long[] v = index.toLongArray();
        int n = shape.length == 0 ? 0 : shape[0];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < -n || v[i] >= n) {
                throw new IndexOutOfBoundsException("index " + v[i] + " is out of bounds for dimension 0 with size " + n);
            }
            v[i] = v[i] < 0 ? v[i] + n : v[i];
        }
        int[] rest = Arrays.copyOfRange(shape, 1, shape.length);
        int[] outShape = new int[index.dim() + rest.length];
        System.arraycopy(index.shape, 0, outShape, 0, index.dim());
        System.arraycopy(rest, 0, outShape, index.dim(), rest.length);
        return indexSelect(0, ofLongs(v)).reshape(outShape);
    }

    /** The indices of the non-zero (true) elements, shape (count, dim), int64, like {@code torch.nonzero}. */
    public Tensor nonzero() {
        return Indexing.nonzero(this);
    }

    /**
     * The {@code k} largest ({@code largest}) or smallest elements along {@code dim} and their int64
     * indices, like {@code torch.topk}, in order (the values are always sorted here, which
     * {@code sorted = false} permits). The gradient flows back to the chosen positions.
     */
    public ValuesIndices topk(int k, int dim, boolean largest, boolean sorted) {
        int d = Shape.dim(dim, Math.max(shape.length, 1));
        int size = shape.length == 0 ? 1 : shape[d];
        if (k < 0 || k > size) {
            throw new IllegalArgumentException("selected index k out of range");
        }
        Tensor idx = Indexing.sortIndices(this, d, largest, k);
        return new ValuesIndices(gather(d, idx), idx);
    }

    /** The {@code k} largest elements along the last dimension, {@code topk(k, -1, true, true)}. */
    public ValuesIndices topk(int k) {
        return topk(k, -1, true, true);
    }

    /**
     * The elements sorted along {@code dim} and the int64 permutation that sorts them, like {@code torch.sort}
     * (stable; NaN sorts above every number). The gradient flows back through the permutation.
     */
    public ValuesIndices sort(int dim, boolean descending) {
        int d = Shape.dim(dim, Math.max(shape.length, 1));
        Tensor idx = Indexing.sortIndices(this, d, descending, shape.length == 0 ? 1 : shape[d]);
        return new ValuesIndices(gather(d, idx), idx);
    }

    /** {@code sort(-1, false)}. */
    public ValuesIndices sort() {
        return sort(-1, false);
    }

    /** The int64 permutation that sorts along {@code dim}, like {@code torch.argsort}. */
    public Tensor argsort(int dim, boolean descending) {
        int d = Shape.dim(dim, Math.max(shape.length, 1));
        return Indexing.sortIndices(this, d, descending, shape.length == 0 ? 1 : shape[d]);
    }

    /**
     * Running sums along {@code dim}, like {@code torch.cumsum}: float32 stays float32; int64 and bool give
     * int64. The gradient is the reversed running sum of the upstream gradient.
     */
    public Tensor cumsum(int dim) {
        int d = Shape.dim(dim, Math.max(shape.length, 1));
        return record("CumsumBackward0", Indexing.cumsum(this, d, false), g -> new Tensor[] {g.cumsumReversed(d)}, this);
    }

    /** Running sums from the end of {@code dim}: cumsum's backward (and, mirrored, its own). */
    private Tensor cumsumReversed(int d) {
        return record("CumsumBackward0", Indexing.cumsum(this, d, true), g -> new Tensor[] {g.cumsum(d)}, this);
    }

    // ---------------------------------------------------------------- reductions: var, std, logsumexp, norm

    /** Unbiased variance of all elements, like {@code tensor.var()}. */
    public Tensor var() {
        return var(allDims(), 1f, false);
    }

    /** Variance of all elements ({@code unbiased}: divide by n-1, else n). */
    public Tensor var(boolean unbiased) {
        return var(allDims(), unbiased ? 1f : 0f, false);
    }

    /**
     * Variance over {@code dims}: {@code Σ(x − mean)² / (N − correction)}, like
     * {@code torch.var(dims, correction=...)}; correction 1 is the unbiased estimate, 0 the population variance.
     */
    public Tensor var(int[] dims, float correction, boolean keepdim) {
        checkStdDtype();
        boolean[] reduce = reduced(dims);
        int n = reducedCount(reduce);
        Tensor centered = sub(mean(dims, true));
        return centered.mul(centered).sum(dims, keepdim).div(n - correction);
    }

    /** Unbiased standard deviation of all elements, like {@code tensor.std()}. */
    public Tensor std() {
        return std(allDims(), 1f, false);
    }

    /** Standard deviation of all elements ({@code unbiased}: from the n-1 variance). */
    public Tensor std(boolean unbiased) {
        return std(allDims(), unbiased ? 1f : 0f, false);
    }

    /** Standard deviation over {@code dim}, like {@code torch.std(dim, unbiased, keepdim)}. */
    public Tensor std(int dim, boolean unbiased, boolean keepdim) {
        return std(new int[] {dim}, unbiased ? 1f : 0f, keepdim);
    }

    /**
     * The square root of {@link #var(int[], float, boolean)}. As PyTorch's, the gradient is
     * {@code g·(x − mean)/((N − correction)·std)}, and 0 where the standard deviation is 0.
     */
    public Tensor std(int[] dims, float correction, boolean keepdim) {
        checkStdDtype();
        Tensor s;
        try (var scope = GradMode.noGrad()) {
            s = detach().var(dims, correction, keepdim).sqrt();
        }
        boolean[] reduce = reduced(dims);
        int[] kept = keptShape(reduce);
        float denom = reducedCount(reduce) - correction;
        Tensor a = this, sk = s.reshape(kept);
        return record("StdBackward0", s, g -> {
            Tensor scale = g.reshape(kept).div(sk.mul(denom)).maskedFill(sk.eq(0f), 0f);
            return new Tensor[] {a.sub(a.mean(dims, true)).mul(scale)};
        }, this);
    }

    /**
     * {@code log Σ exp(x)} over {@code dim}, computed stably (the maximum is taken out first), like
     * {@code torch.logsumexp}; integer inputs are promoted to float32. The gradient is the softmax.
     */
    public Tensor logsumexp(int dim, boolean keepdim) {
        return logsumexp(new int[] {dim}, keepdim);
    }

    /** {@link #logsumexp(int, boolean)} over several dimensions. */
    public Tensor logsumexp(int[] dims, boolean keepdim) {
        if (!dtype.isFloatingPoint()) {
            return toFloat().logsumexp(dims, keepdim);
        }
        boolean[] reduce = reduced(dims);
        Tensor m = detach();
        for (int d = 0; d < shape.length; d++) {
            if (reduce[d]) {
                m = m.max(d, true);
            }
        }
        m = m.maskedFill(m.abs().eq(Float.POSITIVE_INFINITY), 0f); // an all -inf (or +inf) slice: nothing to shift
        Tensor s = sub(m).exp().sum(dims, keepdim).log();
        return s.add(keepdim ? m : m.reshape(s.shape));
    }

    /** The 2-norm of all elements, like {@code tensor.norm()}. */
    public Tensor norm() {
        return norm(2f, allDims(), false);
    }

    /** The p-norm of all elements ({@code p} may be infinite). */
    public Tensor norm(float p) {
        return norm(p, allDims(), false);
    }

    /**
     * The vector p-norm over {@code dims}, like {@code torch.norm(p, dim, keepdim)}:
     * {@code (Σ|x|^p)^(1/p)}; p = ∞ is {@code max|x|}, −∞ {@code min|x|} and 0 the count of non-zero elements.
     * Gradients as PyTorch's: for p = 2, {@code x/‖x‖} and 0 at a zero norm; for ±∞, split evenly among the
     * elements at the extreme; for p = 0, zero.
     */
    public Tensor norm(float p, int[] dims, boolean keepdim) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("norm(): input dtype should be either floating point or complex. Got "
                    + dtype.scalarName() + " instead.");
        }
        boolean[] reduce = reduced(dims);
        int[] kept = keptShape(reduce);
        Tensor a = this;
        if (p == 1f) {
            return abs().sum(dims, keepdim);
        }
        if (p == 0f) {
            Tensor out;
            try (var scope = GradMode.noGrad()) {
                out = detach().ne(0f).toFloat().sum(dims, keepdim);
            }
            return record("NormBackward1", out, g -> new Tensor[] {Tensor.zeros(a.shape())}, this);
        }
        if (p == 2f) {
            Tensor out;
            try (var scope = GradMode.noGrad()) {
                out = detach().mul(detach()).sum(dims, keepdim).sqrt();
            }
            Tensor ok = out.reshape(kept);
            return record("NormBackward1", out,
                    g -> new Tensor[] {a.mul(g.reshape(kept).div(ok).maskedFill(ok.eq(0f), 0f))}, this);
        }
        if (Float.isInfinite(p)) {
            Tensor m = detach().abs();
            for (int d = 0; d < shape.length; d++) {
                if (reduce[d]) {
                    m = p > 0 ? m.max(d, true) : m.min(d, true);
                }
            }
            Tensor mk = m;
            Tensor out = keepdim ? m : m.reshape(dropped(reduce));
            return record("NormBackward1", out, g -> {
                Tensor at = a.abs().eq(mk);
                Tensor count = at.sum(dims, true).toFloat();
                return new Tensor[] {a.sign().mul(g.reshape(kept).div(count)).maskedFill(at.logicalNot(), 0f)};
            }, this);
        }
        return abs().pow(p).sum(dims, keepdim).pow(1f / p);
    }

    /** True where this bool tensor is false, like {@code torch.logical_not} ({@code ~mask}). */
    public Tensor logicalNot() {
        return eq(0f);
    }

    private int[] allDims() {
        return java.util.stream.IntStream.range(0, shape.length).toArray();
    }

    private int reducedCount(boolean[] reduce) {
        int n = 1;
        for (int d = 0; d < shape.length; d++) {
            n *= reduce[d] ? shape[d] : 1;
        }
        return n;
    }

    private int[] keptShape(boolean[] reduce) {
        int[] kept = shape.clone();
        for (int d = 0; d < shape.length; d++) {
            kept[d] = reduce[d] ? 1 : shape[d];
        }
        return kept;
    }

    private void checkStdDtype() {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("std and var only support floating point and complex dtypes");
        }
    }

    // ---------------------------------------------------------------- dtypes: int64 and bool

    /** A 1-D int64 tensor of the given values, like {@code torch.tensor([3, 1])}. */
    public static Tensor ofLongs(long... values) {
        return ofLongs(values, values.length);
    }

    /** An int64 tensor over a copy of {@code values} with the given shape ({@code -1} infers one dimension). */
    public static Tensor ofLongs(long[] values, int... shape) {
        int[] s = Shape.infer(shape, values.length, new int[] {values.length});
        return new Tensor(null, values.clone(), DType.INT64, 0, s, Shape.contiguousStrides(s));
    }

    /** A 1-D bool tensor of the given values, like {@code torch.tensor([True, False])}. */
    public static Tensor ofBools(boolean... values) {
        float[] d = new float[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i] ? 1f : 0f;
        }
        return new Tensor(d, null, DType.BOOL, 0, new int[] {d.length}, new int[] {1});
    }

    /** A tensor of zeros (false for bool) of the given shape and dtype. */
    public static Tensor zeros(int[] shape, DType dtype) {
        int n = Shape.numel(shape);
        int[] st = Shape.contiguousStrides(shape);
        return switch (dtype) {
            case FLOAT32 -> zeros(shape);
            case INT64 -> new Tensor(null, new long[n], dtype, 0, shape.clone(), st);
            case BOOL -> new Tensor(new float[n], null, dtype, 0, shape.clone(), st);
        };
    }

    /** The element type, like {@code tensor.dtype}. */
    public DType dtype() {
        return dtype;
    }

    /**
     * This tensor converted to {@code dtype}, like {@code tensor.to(dtype)}: this tensor itself when it
     * already has it. Float to int64 truncates toward zero; anything to bool is {@code value != 0}. Only a
     * conversion to float32 of a float32 tensor is differentiable (the identity).
     */
    public Tensor to(DType dtype) {
        return dtype == this.dtype ? this : IntOps.convert(this, dtype);
    }

    /** {@code to(FLOAT32)}: PyTorch's {@code tensor.float()} ({@code float} is a Java keyword). */
    public Tensor toFloat() {
        return to(DType.FLOAT32);
    }

    /** {@code to(INT64)}: PyTorch's {@code tensor.long()} ({@code long} is a Java keyword). */
    public Tensor toLong() {
        return to(DType.INT64);
    }

    /** {@code to(BOOL)}: PyTorch's {@code tensor.bool()}. */
    public Tensor bool() {
        return to(DType.BOOL);
    }

    /** The single value of a one-element tensor as a long: exact for int64, truncated toward zero for float32. */
    public long itemLong() {
        if (numel() != 1) {
            throw new IllegalStateException("item() needs a tensor with one element, but shape is " + Shape.str(shape)
                    + " (" + numel() + " elements)");
        }
        return longs != null ? longs[offset] : (long) data[offset];
    }

    /** The elements in row-major order as longs (exact for int64; float32 truncated toward zero). */
    public long[] toLongArray() {
        return IntOps.toLongs(this);
    }

    /**
     * True when both operands hold integers and at least one is int64: the op stays in longs. Two bools
     * take the float kernels (their 0/1 values are exact there), which keeps masks fast.
     */
    private static boolean integral(Tensor a, Tensor b) {
        return (a.longs != null || b.longs != null) && !a.dtype.isFloatingPoint() && !b.dtype.isFloatingPoint();
    }

    /** Both operands bool: the op's 0/1 float result is a bool one, as PyTorch's promotion keeps bool. */
    private boolean bothBool(Tensor other) {
        return dtype == DType.BOOL && other.dtype == DType.BOOL;
    }

    private void checkMeanDtype() {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a "
                    + "floating point or complex dtype. Got: " + dtype.scalarName());
        }
    }

    // ---------------------------------------------------------------- printing

    /** PyTorch's format, e.g. {@code tensor([[0.1000, 0.2000]], grad_fn=<AddmmBackward0>)}. */
    @Override
    public String toString() {
        return TensorFormatter.format(this);
    }
}
