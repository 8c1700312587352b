package dev.linea.compute;


import static dev.linea.compute.Compute.K;

import dev.linea.Tensor;
import dev.linea.backend.BinaryOp;
import dev.linea.backend.Parallel;
import dev.linea.backend.UnaryOp;
import dev.linea.internal.Shape;
import dev.linea.internal.TensorAccess;

import java.util.Arrays;

/**
 * Tensor arithmetic without autograd: shapes, broadcasting, strides and copies between layouts, over the
 * backend's array kernels. Works on storage and layout only: it never calls {@link Tensor}'s recorded
 * API (views are made here from strides, not with {@code view}/{@code transpose}). Every result is a new
 * contiguous tensor unless a method says otherwise. {@link Tensor}'s methods add the autograd rules on top.
 */
public final class Ops {
    /** Elements per parallel chunk of elementwise work: fixed, so chunking never depends on thread count. */
    private static final int GRAIN = 1 << 15;

    private Ops() {}

    /** The name of the backend in use, e.g. {@code vector(512-bit)} or {@code scalar}. */
    public static String backendName() {
        return K.name();
    }

    /** A new zero-filled contiguous tensor. */
    public static Tensor empty(int... shape) {
        return TensorAccess.create(new float[Shape.numel(shape)], shape.clone());
    }

    private static float[] data(Tensor t) {
        return TensorAccess.data(t);
    }

    private static int offset(Tensor t) {
        return TensorAccess.offset(t);
    }

    /** A view of {@code t}'s storage with another layout: bookkeeping only, outside the graph. */
    private static Tensor view(Tensor t, int offset, int[] shape, int[] strides) {
        return TensorAccess.create(data(t), offset, shape, strides);
    }

    /** {@code t} seen at the broadcast {@code shape} (stride 0 along broadcast dimensions). */
    private static Tensor broadcastView(Tensor t, int[] shape) {
        return view(t, offset(t), shape.clone(), broadcastStrides(t, shape));
    }

    /** {@code t} with dimensions {@code a} and {@code b} swapped (a view). */
    private static Tensor swapView(Tensor t, int a, int b) {
        int[] s = t.shape(), st = t.strides();
        int x = s[a];
        s[a] = s[b];
        s[b] = x;
        x = st[a];
        st[a] = st[b];
        st[b] = x;
        return view(t, offset(t), s, st);
    }

    /** {@code a} itself when contiguous, else a contiguous copy. */
    public static Tensor contiguous(Tensor a) {
        if (a.isContiguous()) {
            return a;
        }
        Tensor out = empty(a.shape());
        copyStrided(a, data(out), 0);
        return out;
    }

    /** Copies the elements of {@code a}, in row-major order, into {@code dst} at {@code dstOff}. */
    public static void copyStrided(Tensor a, float[] dst, int dstOff) {
        int n = a.numel();
        if (n == 0) {
            return;
        }
        if (a.isContiguous()) {
            System.arraycopy(data(a), offset(a), dst, dstOff, n);
            return;
        }
        int[] shape = a.shape();
        int[] strides = a.strides();
        int rank = shape.length;
        int inner = shape[rank - 1];
        int innerStride = strides[rank - 1];
        int[] idx = new int[rank];
        int src = offset(a);
        float[] data = data(a);
        for (int done = 0; done < n; done += inner) {
            if (innerStride == 1) {
                System.arraycopy(data, src, dst, dstOff + done, inner);
            } else {
                for (int j = 0, s = src; j < inner; j++, s += innerStride) {
                    dst[dstOff + done + j] = data[s];
                }
            }
            // Advance the multi-index over all but the innermost dimension.
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                src += strides[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                src -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    /** A kernel over one contiguous source range: {@code src[srcOff, srcOff+n)} into {@code dst[dstOff, ...)}. */
    @FunctionalInterface
    private interface RangeKernel {
        void run(float[] src, int srcOff, float[] dst, int dstOff, int n);
    }

    /** Applies {@code kernel} to every element of {@code a}, in parallel chunks, into a new tensor. */
    private static Tensor map(Tensor a, RangeKernel kernel) {
        Tensor x = contiguous(a);
        Tensor out = empty(a.shape());
        float[] src = data(x), dst = data(out);
        int off = offset(x);
        Parallel.forRange(out.numel(), GRAIN, (from, to) -> kernel.run(src, off + from, dst, from, to - from));
        return out;
    }

    public static Tensor unary(UnaryOp op, float param, Tensor a) {
        return map(a, (src, so, dst, d, n) -> K.unary(op, param, src, so, dst, d, n));
    }

    public static Tensor binaryScalar(BinaryOp op, Tensor a, float s) {
        return map(a, (src, so, dst, d, n) -> K.binaryScalar(op, src, so, s, dst, d, n));
    }

    public static Tensor scalarBinary(BinaryOp op, float s, Tensor b) {
        return map(b, (src, so, dst, d, n) -> K.scalarBinary(op, s, src, so, dst, d, n));
    }

    /** {@code op(a, b)} with PyTorch broadcasting. */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast(a.shape(), b.shape());
        Tensor out = empty(shape);
        int n = out.numel();
        if (n == 0) {
            return out;
        }
        float[] dst = data(out);
        if (a.isContiguous() && b.isContiguous() && a.numel() == n && b.numel() == n) {
            float[] ad = data(a), bd = data(b);
            int ao = offset(a), bo = offset(b);
            Parallel.forRange(n, GRAIN, (from, to) -> K.binary(op, ad, ao + from, bd, bo + from, dst, from, to - from));
            return out;
        }
        if (b.numel() == 1) {
            float s = data(b)[offset(b)];
            Tensor x = contiguous(a); // b has one element, so out has as many as a
            float[] ad = data(x);
            int ao = offset(x);
            Parallel.forRange(n, GRAIN, (from, to) -> K.binaryScalar(op, ad, ao + from, s, dst, from, to - from));
            return out;
        }
        if (a.numel() == 1) {
            float s = data(a)[offset(a)];
            Tensor x = contiguous(b);
            float[] bd = data(x);
            int bo = offset(x);
            Parallel.forRange(n, GRAIN, (from, to) -> K.scalarBinary(op, s, bd, bo + from, dst, from, to - from));
            return out;
        }
        broadcastLoop(op, a, b, shape, dst);
        return out;
    }

    /**
     * General broadcasting: walks the output row by row (innermost dimension as a run); each run is one
     * kernel call when both inputs are unit-stride or broadcast along it.
     */
    private static void broadcastLoop(BinaryOp op, Tensor a, Tensor b, int[] shape, float[] dst) {
        int rank = shape.length;
        int[] as = broadcastStrides(a, shape);
        int[] bs = broadcastStrides(b, shape);
        int inner = shape[rank - 1];
        int rows = dst.length / inner;
        float[] ad = data(a), bd = data(b);
        int rowGrain = Math.max(1, GRAIN / Math.max(inner, 1));
        Parallel.forRange(rows, rowGrain, (r0, r1) -> {
            float[] tmp = null;
            for (int r = r0; r < r1; r++) {
                // Offsets of row r in each input, from its multi-index.
                int ao = offset(a), bo = offset(b), rem = r;
                for (int d = rank - 2; d >= 0; d--) {
                    int i = rem % shape[d];
                    rem /= shape[d];
                    ao += i * as[d];
                    bo += i * bs[d];
                }
                int o = r * inner;
                int sa = as[rank - 1], sb = bs[rank - 1];
                if (sa == 1 && sb == 1) {
                    K.binary(op, ad, ao, bd, bo, dst, o, inner);
                } else if (sa == 1 && sb == 0) {
                    K.binaryScalar(op, ad, ao, bd[bo], dst, o, inner);
                } else if (sa == 0 && sb == 1) {
                    K.scalarBinary(op, ad[ao], bd, bo, dst, o, inner);
                } else {
                    for (int j = 0; j < inner; j++) {
                        dst[o + j] = op.apply(ad[ao + j * sa], bd[bo + j * sb]);
                    }
                }
            }
        });
    }

    /** Strides of {@code t} viewed at the broadcast shape: 0 along broadcast dimensions. */
    private static int[] broadcastStrides(Tensor t, int[] shape) {
        int rank = shape.length;
        int[] s = new int[rank];
        int[] ts = t.shape();
        int[] tst = t.strides();
        int lead = rank - ts.length;
        for (int d = lead; d < rank; d++) {
            s[d] = ts[d - lead] == 1 && shape[d] != 1 ? 0 : tst[d - lead];
        }
        return s;
    }

    /** Sum over one dimension, keeping it with size 1. */
    public static Tensor sumDim(Tensor a, int dim) {
        Tensor x = contiguous(a);
        int[] shape = a.shape();
        int outer = 1, inner = 1, size = shape[dim];
        for (int d = 0; d < dim; d++) {
            outer *= shape[d];
        }
        for (int d = dim + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int[] outShape = shape.clone();
        outShape[dim] = 1;
        Tensor out = empty(outShape);
        float[] src = data(x), dst = data(out);
        int off = offset(x);
        final int in = inner;
        if (inner == 1) {
            Parallel.forRange(outer, Math.max(1, GRAIN / Math.max(size, 1)), (o0, o1) -> {
                for (int o = o0; o < o1; o++) {
                    dst[o] = K.sum(src, off + o * size, size);
                }
            });
        } else {
            // Rows are added in index order into each output row: a fixed order for any thread count.
            Parallel.forRange(outer, Math.max(1, GRAIN / Math.max(size * inner, 1)), (o0, o1) -> {
                for (int o = o0; o < o1; o++) {
                    int base = off + o * size * in;
                    for (int r = 0; r < size; r++) {
                        K.binary(BinaryOp.ADD, dst, o * in, src, base + r * in, dst, o * in, in);
                    }
                }
            });
        }
        return out;
    }

    /** Column sums of a 2-D tensor, {@code out[c] = Σ_r a[r][c]}, rows added in order. */
    public static Tensor sumRows(Tensor a) {
        Tensor x = contiguous(a);
        int rows = a.shape()[0], cols = a.shape()[1];
        Tensor out = empty(cols);
        K.sumRows(data(x), offset(x), rows, cols, data(out), 0);
        return out;
    }

    public static float sumAll(Tensor a) {
        Tensor x = contiguous(a);
        return K.sum(data(x), offset(x), x.numel());
    }

    /** Max (and its first index) over one dimension, keeping it with size 1. Returns {values, indices}. */
    public static Tensor[] maxDim(Tensor a, int dim, boolean min) {
        Tensor x = contiguous(a);
        int[] shape = a.shape();
        int size = shape[dim];
        if (size == 0) {
            throw new IllegalArgumentException("max/min over dimension " + dim + " of size 0 (shape " + Shape.str(shape) + ")");
        }
        int outer = 1, inner = 1;
        for (int d = 0; d < dim; d++) {
            outer *= shape[d];
        }
        for (int d = dim + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int[] outShape = shape.clone();
        outShape[dim] = 1;
        Tensor values = empty(outShape);
        Tensor indices = empty(outShape);
        float[] src = data(x), vd = data(values), id = data(indices);
        int off = offset(x);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = off + o * size * inner + i;
                float best = src[base];
                int bestIdx = 0;
                for (int r = 1; r < size && !Float.isNaN(best); r++) {
                    float v = src[base + r * inner];
                    if (Float.isNaN(v) || (min ? v < best : v > best)) {
                        best = v;
                        bestIdx = r;
                    }
                }
                vd[o * inner + i] = best;
                id[o * inner + i] = bestIdx;
            }
        }
        return new Tensor[] {values, indices};
    }

    /** Softmax or log-softmax along {@code dim}. */
    public static Tensor softmax(Tensor a, int dim, boolean log) {
        int rank = a.dim();
        if (dim != rank - 1) {
            Tensor moved = swapView(a, dim, rank - 1);
            return contiguous(swapView(softmax(moved, rank - 1, log), dim, rank - 1));
        }
        Tensor x = contiguous(a);
        Tensor out = empty(a.shape());
        int cols = rank == 0 ? 1 : a.shape()[rank - 1];
        int rows = cols == 0 ? 0 : a.numel() / cols;
        float[] src = data(x), dst = data(out);
        int off = offset(x);
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(cols, 1)),
                (r0, r1) -> K.softmaxRows(src, off + r0 * cols, dst, r0 * cols, r1 - r0, cols, log));
        return out;
    }

    /**
     * Matrix product with NumPy/PyTorch semantics: 1-D operands are promoted and the added dimension
     * removed; batch dimensions broadcast.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul needs tensors of at least one dimension, got shapes "
                    + Shape.str(a.shape()) + " and " + Shape.str(b.shape()));
        }
        boolean aVec = a.dim() == 1, bVec = b.dim() == 1;
        // 1-D operands as a 1×k row and a k×1 column: views made from strides.
        Tensor a2 = aVec ? view(a, offset(a), new int[] {1, a.size(0)}, new int[] {0, a.strides()[0]}) : a;
        Tensor b2 = bVec ? view(b, offset(b), new int[] {b.size(0), 1}, new int[] {b.strides()[0], 0}) : b;
        int[] as = a2.shape(), bs = b2.shape();
        int m = as[as.length - 2], k = as[as.length - 1];
        int k2 = bs[bs.length - 2], n = bs[bs.length - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: shapes " + Shape.str(a.shape()) + " and " + Shape.str(b.shape())
                    + " cannot be multiplied (" + m + "x" + k + " and " + k2 + "x" + n + ")");
        }
        int[] batch = Shape.broadcast(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        Tensor out = empty(concat(batch, m, n));
        int batches = Shape.numel(batch);
        if (batches == 1) {
            gemmInto(Mat.of(a2, m, k), Mat.of(b2, k, n), data(out), 0, n, false);
        } else {
            Dense ae = Dense.of(broadcastView(a2, concat(batch, m, k)));
            Dense be = Dense.of(broadcastView(b2, concat(batch, k, n)));
            for (int i = 0; i < batches; i++) {
                gemmInto(new Mat(ae.a(), ae.off() + i * m * k, m, k, k, 1), new Mat(be.a(), be.off() + i * k * n, k, n, n, 1),
                        data(out), i * m * n, n, false);
            }
        }
        if (!aVec && !bVec) {
            return out;
        }
        // Drop the added dimensions: the result is contiguous, so the shorter shape is a view of it.
        int[] s = Arrays.copyOf(batch, batch.length + (aVec ? 0 : 1) + (bVec ? 0 : 1));
        int at = batch.length;
        if (!aVec) {
            s[at++] = m;
        }
        if (!bVec) {
            s[at] = n;
        }
        return TensorAccess.create(data(out), s);
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }

    /**
     * A {@code rows × cols} matrix in an array: element (i, j) at {@code a[off + i·rs + j·cs]}. A dense
     * column-major block goes to the kernel with a transpose flag; any other layout is packed first.
     */
    private record Mat(float[] a, int off, int rows, int cols, int rs, int cs) {
        /** The last two dimensions of {@code t} (any leading dimensions have size 1) as a rows×cols matrix. */
        static Mat of(Tensor t, int rows, int cols) {
            int[] st = t.strides();
            int r = st.length;
            return new Mat(data(t), offset(t), rows, cols, st[r - 2], st[r - 1]);
        }

        boolean rowMajor() {
            return (cs == 1 || cols <= 1) && (rs == cols || rows <= 1);
        }

        boolean colMajor() {
            return (rs == 1 || rows <= 1) && (cs == rows || cols <= 1);
        }

        /** This matrix copied densely, row by row. */
        Mat packed() {
            float[] d = new float[rows * cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    d[i * cols + j] = a[off + i * rs + j * cs];
                }
            }
            return new Mat(d, 0, rows, cols, cols, 1);
        }

        Mat transposed() {
            return new Mat(a, off, cols, rows, cs, rs);
        }
    }

    /** {@code C[m×n] (+)= A·B} into {@code c} at {@code cOff} with leading dimension {@code ldc}. */
    private static void gemmInto(Mat a, Mat b, float[] c, int cOff, int ldc, boolean accumulate) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        boolean ta = !a.rowMajor() && a.colMajor();
        if (!ta && !a.rowMajor()) {
            a = a.packed();
        }
        boolean tb = !b.rowMajor() && b.colMajor();
        if (!tb && !b.rowMajor()) {
            b = b.packed();
        }
        int lda = Math.max(1, ta ? m : k);
        int ldb = Math.max(1, tb ? k : n);
        K.sgemm(ta, tb, m, n, k, a.a(), a.off(), lda, b.a(), b.off(), ldb, c, cOff, ldc, accumulate);
    }

    /**
     * The fully connected layer's affine map {@code y = x·Wᵀ + b}: {@code x} (..., in), {@code weight}
     * (out, in), {@code bias} (out) or null; {@code y} (..., out). The bias is written first and the
     * product accumulated onto it (no separate bias pass). Shapes are the caller's to check.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        int out = weight.size(0), in = weight.size(1);
        int rows = x.numel() / Math.max(in, 1);
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = out;
        Tensor y = empty(outShape);
        float[] yd = data(y);
        if (bias != null) {
            Dense b = Dense.of(bias);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(b.a(), b.off(), yd, r * out, out);
            }
        }
        Dense xd = Dense.of(x);
        gemmInto(new Mat(xd.a(), xd.off(), rows, in, in, 1), Mat.of(weight, out, in).transposed(), yd, 0, out, bias != null);
        return y;
    }

    /** Sums a broadcast gradient back to {@code target}, the shape it was broadcast from (for the engine). */
    public static Tensor sumToShape(Tensor g, int[] target) {
        int[] shape = g.shape();
        if (Arrays.equals(shape, target)) {
            return g;
        }
        Tensor out = g;
        int lead = shape.length - target.length;
        for (int d = shape.length - 1; d >= 0; d--) {
            boolean extra = d < lead;
            if (extra || (target[d - lead] == 1 && shape[d] != 1)) {
                out = sumDim(out, d);
            }
        }
        out = contiguous(out);
        return view(out, offset(out), target.clone(), Shape.contiguousStrides(target));
    }

    /** {@code mask != 0 ? a : b}, broadcasting all three: a select, so an unchosen inf or NaN stays out. */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        int[] s = Shape.broadcast(Shape.broadcast(mask.shape(), a.shape()), b.shape());
        Dense m = Dense.of(broadcastView(mask, s)), x = Dense.of(broadcastView(a, s)), y = Dense.of(broadcastView(b, s));
        Tensor out = empty(s);
        float[] o = data(out);
        Parallel.forRange(o.length, GRAIN, (from, to) ->
                K.where(m.a(), m.off() + from, x.a(), x.off() + from, y.a(), y.off() + from, o, from, to - from));
        return out;
    }

    // ---------------------------------------------------------------- in place

    /** {@code dst += alpha·src} in place ({@code src} broadcast to dst's shape). */
    public static void addInPlace(Tensor dst, Tensor src, float alpha) {
        if (dst.isContiguous() && src.isContiguous() && src.numel() == dst.numel()) {
            K.axpy(dst.numel(), alpha, data(src), offset(src), data(dst), offset(dst));
            return;
        }
        copyInto(dst, binary(BinaryOp.ADD, dst, binaryScalar(BinaryOp.MUL, src, alpha)));
    }

    /** Sets every element of {@code dst} (which may be a view) to {@code value}. */
    public static void fill(Tensor dst, float value) {
        if (dst.isContiguous()) {
            Arrays.fill(data(dst), offset(dst), offset(dst) + dst.numel(), value);
            return;
        }
        Tensor v = empty(dst.shape());
        Arrays.fill(data(v), value);
        copyInto(dst, v);
    }

    /**
     * Copies {@code src}, broadcast to {@code dst}'s shape, into {@code dst}'s elements; {@code dst} may be a
     * strided view and may share storage with {@code src} (then every value is read before any is written).
     */
    public static void copyInto(Tensor dst, Tensor src) {
        int[] shape = dst.shape();
        Tensor s = Arrays.equals(src.shape(), shape) ? src : broadcastView(src, shape);
        float[] values = data(s) == data(dst) ? s.toFloatArray() : null;
        float[] d = data(dst);
        if (dst.isContiguous()) {
            if (values != null) {
                System.arraycopy(values, 0, d, offset(dst), values.length);
            } else {
                copyStrided(s, d, offset(dst));
            }
            return;
        }
        if (values == null) {
            values = s.toFloatArray();
        }
        int[] strides = dst.strides();
        int rank = shape.length;
        int[] idx = new int[rank];
        int base = offset(dst);
        for (int i = 0; i < values.length; i++) {
            int pos = base;
            for (int k = 0; k < rank; k++) {
                pos += idx[k] * strides[k];
            }
            d[pos] = values[i];
            for (int k = rank - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
    }
}
