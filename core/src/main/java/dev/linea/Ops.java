package dev.linea;

import dev.linea.kernels.BinaryOp;
import dev.linea.kernels.Kernels;
import dev.linea.kernels.KernelProvider;
import dev.linea.kernels.Parallel;
import dev.linea.kernels.UnaryOp;

/**
 * Forward computations on tensors without autograd: shape handling, broadcasting and strides, over the
 * array {@link Kernels}. Every result is a new contiguous tensor. {@link Tensor}'s methods add the
 * autograd rules on top.
 */
final class Ops {
    static final Kernels K = KernelProvider.get();
    /** Elements per parallel chunk of elementwise work: fixed, so chunking never depends on thread count. */
    private static final int GRAIN = 1 << 15;

    private Ops() {}

    static Tensor empty(int... shape) {
        return new Tensor(new float[Shape.numel(shape)], shape);
    }

    static Tensor contiguous(Tensor a) {
        if (a.isContiguous()) {
            return a;
        }
        Tensor out = empty(a.shape());
        copyStrided(a, out.data(), 0);
        return out;
    }

    /** Copies the elements of {@code a}, in row-major order, into {@code dst} at {@code dstOff}. */
    static void copyStrided(Tensor a, float[] dst, int dstOff) {
        int n = a.numel();
        if (n == 0) {
            return;
        }
        if (a.isContiguous()) {
            System.arraycopy(a.data(), a.offset(), dst, dstOff, n);
            return;
        }
        int[] shape = a.shape();
        int[] strides = a.strides();
        int rank = shape.length;
        int inner = shape[rank - 1];
        int innerStride = strides[rank - 1];
        int[] idx = new int[rank];
        int src = a.offset();
        float[] data = a.data();
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
        float[] src = x.data(), dst = out.data();
        int off = x.offset();
        Parallel.forRange(out.numel(), GRAIN, (from, to) -> kernel.run(src, off + from, dst, from, to - from));
        return out;
    }

    static Tensor unary(UnaryOp op, float param, Tensor a) {
        return map(a, (src, so, dst, d, n) -> K.unary(op, param, src, so, dst, d, n));
    }

    static Tensor binaryScalar(BinaryOp op, Tensor a, float s) {
        return map(a, (src, so, dst, d, n) -> K.binaryScalar(op, src, so, s, dst, d, n));
    }

    static Tensor scalarBinary(BinaryOp op, float s, Tensor b) {
        return map(b, (src, so, dst, d, n) -> K.scalarBinary(op, s, src, so, dst, d, n));
    }

    /** {@code op(a, b)} with PyTorch broadcasting. */
    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast(a.shape(), b.shape());
        Tensor out = empty(shape);
        int n = out.numel();
        if (n == 0) {
            return out;
        }
        float[] dst = out.data();
        if (a.isContiguous() && b.isContiguous() && a.numel() == n && b.numel() == n) {
            float[] ad = a.data(), bd = b.data();
            int ao = a.offset(), bo = b.offset();
            Parallel.forRange(n, GRAIN, (from, to) -> K.binary(op, ad, ao + from, bd, bo + from, dst, from, to - from));
            return out;
        }
        if (b.numel() == 1) {
            float s = b.data()[b.offset()];
            Tensor x = contiguous(a); // b has one element, so out has as many as a
            float[] ad = x.data();
            int ao = x.offset();
            Parallel.forRange(n, GRAIN, (from, to) -> K.binaryScalar(op, ad, ao + from, s, dst, from, to - from));
            return out;
        }
        if (a.numel() == 1) {
            float s = a.data()[a.offset()];
            Tensor x = contiguous(b);
            float[] bd = x.data();
            int bo = x.offset();
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
        float[] ad = a.data(), bd = b.data();
        int rowGrain = Math.max(1, GRAIN / Math.max(inner, 1));
        Parallel.forRange(rows, rowGrain, (r0, r1) -> {
            float[] tmp = null;
            for (int r = r0; r < r1; r++) {
                // Offsets of row r in each input, from its multi-index.
                int ao = a.offset(), bo = b.offset(), rem = r;
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
    static int[] broadcastStrides(Tensor t, int[] shape) {
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
    static Tensor sumDim(Tensor a, int dim) {
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
        float[] src = x.data(), dst = out.data();
        int off = x.offset();
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
    static Tensor sumRows(Tensor a) {
        Tensor x = contiguous(a);
        int rows = a.shape()[0], cols = a.shape()[1];
        Tensor out = empty(cols);
        K.sumRows(x.data(), x.offset(), rows, cols, out.data(), 0);
        return out;
    }

    static float sumAll(Tensor a) {
        Tensor x = contiguous(a);
        return K.sum(x.data(), x.offset(), x.numel());
    }

    /** Max (and its first index) over one dimension, keeping it with size 1. Returns {values, indices}. */
    static Tensor[] maxDim(Tensor a, int dim, boolean min) {
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
        float[] src = x.data(), vd = values.data(), id = indices.data();
        int off = x.offset();
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
    static Tensor softmax(Tensor a, int dim, boolean log) {
        int rank = a.dim();
        if (dim != rank - 1) {
            Tensor moved = a.transpose(dim, rank - 1);
            return softmax(moved, rank - 1, log).transpose(dim, rank - 1).contiguous();
        }
        Tensor x = contiguous(a);
        Tensor out = empty(a.shape());
        int cols = rank == 0 ? 1 : a.shape()[rank - 1];
        int rows = cols == 0 ? 0 : a.numel() / cols;
        float[] src = x.data(), dst = out.data();
        int off = x.offset();
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(cols, 1)),
                (r0, r1) -> K.softmaxRows(src, off + r0 * cols, dst, r0 * cols, r1 - r0, cols, log));
        return out;
    }

    /**
     * Matrix product with NumPy/PyTorch semantics: 1-D operands are promoted and the added dimension
     * removed; batch dimensions broadcast.
     */
    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul needs tensors of at least one dimension, got shapes "
                    + Shape.str(a.shape()) + " and " + Shape.str(b.shape()));
        }
        a = a.detach(); // views taken below are bookkeeping, not part of the graph
        b = b.detach();
        boolean aVec = a.dim() == 1, bVec = b.dim() == 1;
        Tensor a2 = aVec ? a.unsqueeze(0) : a;
        Tensor b2 = bVec ? b.unsqueeze(1) : b;
        int[] as = a2.shape(), bs = b2.shape();
        int m = as[as.length - 2], k = as[as.length - 1];
        int k2 = bs[bs.length - 2], n = bs[bs.length - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: shapes " + Shape.str(a.shape()) + " and " + Shape.str(b.shape())
                    + " cannot be multiplied (" + m + "x" + k + " and " + k2 + "x" + n + ")");
        }
        int[] aBatch = java.util.Arrays.copyOf(as, as.length - 2);
        int[] bBatch = java.util.Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shape.broadcast(aBatch, bBatch);
        int[] outShape = java.util.Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = empty(outShape);
        int batches = Shape.numel(batch);
        if (batches == 1) {
            gemm(a2, b2, out.data(), 0, m, n, k);
        } else {
            Tensor ae = a2.expand(concat(batch, m, k)).contiguous().reshape(batches, m, k);
            Tensor be = b2.expand(concat(batch, k, n)).contiguous().reshape(batches, k, n);
            for (int i = 0; i < batches; i++) {
                gemm(ae.select(0, i), be.select(0, i), out.data(), i * m * n, m, n, k);
            }
        }
        Tensor result = out;
        if (aVec) {
            result = result.squeeze(-2);
        }
        if (bVec) {
            result = result.squeeze(-1);
        }
        return result;
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }

    /**
     * One 2-D product into {@code c}; a transposed view is passed to the kernel as a transpose flag rather
     * than copied.
     */
    static void gemm(Tensor a, Tensor b, float[] c, int cOff, int m, int n, int k) {
        gemmInto(a, b, c, cOff, n, m, n, k, false);
    }

    static void gemmInto(Tensor a, Tensor b, float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        Tensor a2 = a.dim() > 2 ? a.detach().reshape(m, k) : a.detach();
        Tensor b2 = b.dim() > 2 ? b.detach().reshape(k, n) : b.detach();
        boolean ta = !isRowMajor(a2, m, k) && isRowMajor(a2.t(), k, m);
        if (!ta && !isRowMajor(a2, m, k)) {
            a2 = a2.contiguous();
        }
        boolean tb = !isRowMajor(b2, k, n) && isRowMajor(b2.t(), n, k);
        if (!tb && !isRowMajor(b2, k, n)) {
            b2 = b2.contiguous();
        }
        int lda = Math.max(1, ta ? m : k);
        int ldb = Math.max(1, tb ? k : n);
        K.sgemm(ta, tb, m, n, k, a2.data(), a2.offset(), lda, b2.data(), b2.offset(), ldb, c, cOff, ldc, accumulate);
    }

    /** True when the rows×cols view {@code t} is laid out densely row by row. */
    private static boolean isRowMajor(Tensor t, int rows, int cols) {
        int[] s = t.strides();
        return (s[1] == 1 || cols <= 1) && (s[0] == cols || rows <= 1);
    }
}
