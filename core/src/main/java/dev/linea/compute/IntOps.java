package dev.linea.compute;

import dev.linea.DType;
import dev.linea.Tensor;
import dev.linea.internal.Shape;
import dev.linea.internal.TensorAccess;

import java.util.function.LongBinaryOperator;

/**
 * Arithmetic on INT64 and BOOL tensors in {@code long}s, so that integers above 2^24 stay exact: dtype
 * conversions, broadcasting integer ops and comparisons, integer sums and copies. BOOL tensors are stored
 * as 0/1 floats (the float kernels take them as masks unchanged); INT64 ones as {@code long[]}.
 */
public final class IntOps {
    private IntOps() {}

    /** A comparison of two longs. */
    @FunctionalInterface
    public interface LongPredicate2 {
        boolean test(long a, long b);
    }

    /** The storage index of each element of {@code t} seen at the broadcast {@code shape}, row-major. */
    static int[] positions(Tensor t, int[] shape) {
        int[] ts = t.shape(), tst = t.strides();
        int rank = shape.length, lead = rank - ts.length;
        int[] st = new int[rank];
        for (int d = 0; d < rank; d++) {
            st[d] = d < lead || ts[d - lead] == 1 ? 0 : tst[d - lead];
        }
        int n = Shape.numel(shape);
        int[] pos = new int[n];
        int[] idx = new int[rank];
        int p = TensorAccess.offset(t);
        for (int i = 0; i < n; i++) {
            pos[i] = p;
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    p += st[d];
                    break;
                }
                p -= st[d] * (shape[d] - 1);
                idx[d] = 0;
            }
        }
        return pos;
    }

    /**
     * The values of {@code t} as longs in row-major order: INT64 exactly, BOOL as 0/1, FLOAT32 truncated
     * toward zero (NaN gives 0 and infinities saturate, as Java's cast; PyTorch leaves those undefined).
     */
    public static long[] toLongs(Tensor t) {
        int[] pos = positions(t, t.shape());
        long[] out = new long[pos.length];
        long[] l = TensorAccess.longs(t);
        if (l != null) {
            for (int i = 0; i < pos.length; i++) {
                out[i] = l[pos[i]];
            }
        } else {
            float[] f = TensorAccess.data(t);
            for (int i = 0; i < pos.length; i++) {
                out[i] = (long) f[pos[i]];
            }
        }
        return out;
    }

    /** {@code t} converted to {@code to} (a new dense tensor; BOOL is {@code value != 0}). */
    public static Tensor convert(Tensor t, DType to) {
        int[] shape = t.shape();
        return switch (to) {
            case INT64 -> TensorAccess.createLong(toLongs(t), shape);
            case FLOAT32 -> TensorAccess.create(t.toFloatArray(), shape);
            case BOOL -> {
                float[] v;
                if (TensorAccess.dtype(t) == DType.INT64) {
                    long[] l = toLongs(t);
                    v = new float[l.length];
                    for (int i = 0; i < l.length; i++) {
                        v[i] = l[i] != 0 ? 1f : 0f;
                    }
                } else {
                    v = t.toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        v[i] = v[i] != 0 ? 1f : 0f; // NaN is true, as in PyTorch
                    }
                }
                yield TensorAccess.createBool(v, shape);
            }
        };
    }

    /** A float 0/1 mask (a comparison's output) seen as a BOOL tensor, sharing its storage. */
    public static Tensor asBool(Tensor mask) {
        return TensorAccess.createBool(Dense.array(mask), mask.shape());
    }

    /** {@code op(a, b)} elementwise in longs, broadcasting; an INT64 result. */
    public static Tensor binary(Tensor a, Tensor b, LongBinaryOperator op) {
        int[] s = Shape.broadcast(a.shape(), b.shape());
        long[] x = valuesAt(a, s), y = valuesAt(b, s);
        long[] out = new long[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = op.applyAsLong(x[i], y[i]);
        }
        return TensorAccess.createLong(out, s);
    }

    /** {@code test(a, b)} elementwise in longs, broadcasting; a BOOL result. */
    public static Tensor compare(Tensor a, Tensor b, LongPredicate2 test) {
        int[] s = Shape.broadcast(a.shape(), b.shape());
        long[] x = valuesAt(a, s), y = valuesAt(b, s);
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = test.test(x[i], y[i]) ? 1f : 0f;
        }
        return TensorAccess.createBool(out, s);
    }

    /** {@code t}'s values as longs at the broadcast {@code shape}. */
    private static long[] valuesAt(Tensor t, int[] shape) {
        int[] pos = positions(t, shape);
        long[] out = new long[pos.length];
        long[] l = TensorAccess.longs(t);
        float[] f = l == null ? TensorAccess.data(t) : null;
        for (int i = 0; i < pos.length; i++) {
            out[i] = l != null ? l[pos[i]] : (long) f[pos[i]];
        }
        return out;
    }

    /** The exact sum over the dimensions marked in {@code reduce}, kept with size 1; an INT64 result. */
    public static Tensor sum(Tensor a, boolean[] reduce) {
        int[] shape = a.shape();
        int[] outShape = shape.clone();
        for (int d = 0; d < shape.length; d++) {
            if (reduce[d]) {
                outShape[d] = 1;
            }
        }
        int[] outStrides = Shape.contiguousStrides(outShape);
        long[] v = toLongs(a);
        long[] out = new long[Shape.numel(outShape)];
        int rank = shape.length;
        int[] idx = new int[rank];
        for (int i = 0; i < v.length; i++) {
            int o = 0;
            for (int d = 0; d < rank; d++) {
                o += reduce[d] ? 0 : idx[d] * outStrides[d];
            }
            out[o] += v[i];
            for (int d = rank - 1; d >= 0 && ++idx[d] == shape[d]; d--) {
                idx[d] = 0;
            }
        }
        return TensorAccess.createLong(out, outShape);
    }

    /** Copies {@code src} (broadcast to dst's shape, any dtype) into the INT64 tensor {@code dst}, which may be a view. */
    public static void copyInto(Tensor dst, Tensor src) {
        int[] shape = dst.shape();
        long[] values = valuesAt(src, shape); // read everything before writing: src may share dst's storage
        int[] pos = positions(dst, shape);
        long[] d = TensorAccess.longs(dst);
        for (int i = 0; i < pos.length; i++) {
            d[pos[i]] = values[i];
        }
    }
}
