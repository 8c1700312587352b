package dev.linea.compute;

import static dev.linea.compute.Compute.K;

import dev.linea.DType;
import dev.linea.Tensor;
import dev.linea.internal.Shape;
import dev.linea.internal.TensorAccess;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The indexing operations behind {@code Tensor.gather}, {@code scatter}, {@code indexSelect},
 * {@code maskedSelect}, {@code sort}/{@code topk}, {@code cumsum}, {@code nonzero} and {@code one_hot}:
 * forward values only (no autograd), any dtype where PyTorch allows it, with PyTorch's checks and error
 * messages. Indexed reads and scatter-adds of float32 data go through the backend ({@code K.gather},
 * {@code K.scatterAdd}); each op first turns its indices into storage positions.
 */
public final class Indexing {
    private Indexing() {}

    /** Where each element of {@code t} lives in its storage, row-major. */
    private static int[] positions(Tensor t) {
        return IntOps.positions(t, t.shape());
    }

    /** The elements of {@code src}'s storage at {@code pos}, as a dense tensor of {@code shape} and src's dtype. */
    static Tensor take(Tensor src, int[] pos, int[] shape) {
        DType dt = TensorAccess.dtype(src);
        if (dt == DType.INT64) {
            long[] l = TensorAccess.longs(src), out = new long[pos.length];
            for (int i = 0; i < pos.length; i++) {
                out[i] = l[pos[i]];
            }
            return TensorAccess.createLong(out, shape);
        }
        float[] out = new float[pos.length];
        K.gather(TensorAccess.data(src), pos, 0, out, 0, pos.length);
        return dt == DType.BOOL ? TensorAccess.createBool(out, shape) : TensorAccess.create(out, shape);
    }

    /** The values of an index tensor, checked to be int64 ({@code op + "(): Expected dtype int64 for index"}). */
    private static long[] int64Index(String op, Tensor index) {
        if (TensorAccess.dtype(index) != DType.INT64) {
            throw new IllegalArgumentException(op + "(): Expected dtype int64 for index");
        }
        return IntOps.toLongs(index);
    }

    /**
     * For gather/scatter: the storage position in {@code self} of each element of {@code index}, with the
     * index value along {@code dim}. Checks PyTorch's shape rule (index no larger than self apart from dim)
     * and the range of every index value.
     */
    private static int[] scatterPositions(String op, Tensor self, int dim, Tensor index, long[] iv) {
        int[] s = self.shape(), is = index.shape(), st = self.strides();
        int rank = Math.max(s.length, 1);
        if (is.length != s.length && !(is.length <= 1 && s.length <= 1)) {
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as "
                    + (op.equals("gather") ? "input" : "self") + " tensor");
        }
        int[] ss = s.length == 0 ? new int[] {1} : s, sst = s.length == 0 ? new int[] {1} : st;
        int[] iss = is.length == 0 ? new int[] {1} : is;
        for (int d = 0; d < rank; d++) {
            if (d != dim && iss[d] > ss[d]) {
                throw new IllegalArgumentException("Size does not match at dimension " + d + " expected index "
                        + Shape.str(is) + " to be smaller than self " + Shape.str(s) + " apart from dimension " + dim);
            }
        }
        int[] pos = new int[iv.length];
        int[] idx = new int[rank];
        int base = TensorAccess.offset(self);
        for (int i = 0; i < iv.length; i++) {
            long v = iv[i];
            if (v < -ss[dim] || v >= ss[dim]) {
                throw new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + dim
                        + " with size " + ss[dim]);
            }
            int p = base;
            for (int d = 0; d < rank; d++) {
                p += (d == dim ? (int) (v < 0 ? v + ss[d] : v) : idx[d]) * sst[d];
            }
            pos[i] = p;
            for (int d = rank - 1; d >= 0 && ++idx[d] == iss[d]; d--) {
                idx[d] = 0;
            }
        }
        return pos;
    }

    /** {@code out[i][j][k] = self[i][index[i][j][k]][k]} (for dim 1), like {@code torch.gather}; out has index's shape. */
    public static Tensor gather(Tensor self, int dim, Tensor index) {
        long[] iv = int64Index("gather", index);
        return take(self, scatterPositions("gather", self, dim, index, iv), index.shape());
    }

    /**
     * A copy of {@code self} with {@code src}'s values written ({@code add}: added) at the positions
     * {@code index} names along {@code dim}, like {@code torch.scatter}/{@code scatter_add}. {@code src} is
     * read at index's shape (it may be larger); a null src writes {@code value}. Writes happen in index order.
     */
    public static Tensor scatter(String op, Tensor self, int dim, Tensor index, Tensor src, float value, boolean add) {
        long[] iv = int64Index(op, index);
        if (src != null && TensorAccess.dtype(src) != TensorAccess.dtype(self)) {
            throw new IllegalArgumentException(op + "(): Expected self.dtype to be equal to src.dtype");
        }
        if (src != null) {
            int[] ss = src.shape(), is = index.shape();
            for (int d = 0; d < is.length; d++) {
                if (d >= ss.length || is[d] > ss[d]) {
                    throw new IllegalArgumentException("Size does not match at dimension " + d + " expected index "
                            + Shape.str(is) + " to be smaller than src " + Shape.str(ss));
                }
            }
        }
        Tensor out = IntOps.convert(self, TensorAccess.dtype(self)); // dense copy, offset 0
        int[] pos = scatterPositions(op, out, dim, index, iv);
        if (TensorAccess.dtype(out) == DType.INT64) {
            long[] o = TensorAccess.longs(out);
            long[] v = src == null ? null : IntOps.toLongs(readAt(src, index.shape()));
            for (int i = 0; i < pos.length; i++) {
                long x = v == null ? (long) value : v[i];
                o[pos[i]] = add ? o[pos[i]] + x : x;
            }
            return out;
        }
        float[] o = TensorAccess.data(out);
        float[] v;
        if (src == null) {
            v = new float[pos.length];
            Arrays.fill(v, value);
        } else {
            v = Dense.array(readAt(src, index.shape()));
        }
        if (add) {
            K.scatterAdd(v, 0, pos, 0, o, pos.length);
        } else {
            for (int i = 0; i < pos.length; i++) {
                o[pos[i]] = v[i];
            }
        }
        return out;
    }

    /** The leading {@code shape} block of {@code src} (src[:a, :b, ...]), a view. */
    private static Tensor readAt(Tensor src, int[] shape) {
        int[] st = src.strides();
        int[] s = shape.length == 0 && src.dim() == 1 ? new int[] {1} : shape;
        if (src.dim() == 0) {
            return src;
        }
        // BOOL storage is 0/1 floats: a float view of it reads the same values.
        return TensorAccess.dtype(src) == DType.INT64
                ? TensorAccess.createLong(TensorAccess.longs(src), TensorAccess.offset(src), s.clone(), st)
                : TensorAccess.create(TensorAccess.data(src), TensorAccess.offset(src), s.clone(), st);
    }

    /** The index values of a 1-D (or 0-D) int64 index for index_select / index_add / embedding, range-checked. */
    public static int[] vectorIndex(String op, Tensor index, int size) {
        DType dt = TensorAccess.dtype(index);
        if (dt != DType.INT64) {
            throw new IllegalArgumentException(op + "(): Expected dtype int32 or int64 for index");
        }
        if (index.dim() > 1) {
            throw new IllegalArgumentException(op + "(): Index is supposed to be a vector");
        }
        long[] v = IntOps.toLongs(index);
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= size) {
                throw new IndexOutOfBoundsException("index out of range in self");
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    /** The slices of {@code self} at {@code index} along {@code dim}, like {@code torch.index_select}. */
    public static Tensor indexSelect(Tensor self, int dim, int[] index) {
        int[] s = self.dim() == 0 ? new int[] {1} : self.shape();
        int[] st = self.dim() == 0 ? new int[] {1} : self.strides();
        int[] outShape = s.clone();
        outShape[dim] = index.length;
        int[] pos = new int[Shape.numel(outShape)];
        int[] idx = new int[s.length];
        int base = TensorAccess.offset(self);
        for (int i = 0; i < pos.length; i++) {
            int p = base;
            for (int d = 0; d < s.length; d++) {
                p += (d == dim ? index[idx[d]] : idx[d]) * st[d];
            }
            pos[i] = p;
            for (int d = s.length - 1; d >= 0 && ++idx[d] == outShape[d]; d--) {
                idx[d] = 0;
            }
        }
        return take(self, pos, self.dim() == 0 ? new int[0] : outShape);
    }

    /**
     * {@code base} (float32) plus {@code src}'s slices added at {@code index} along {@code dim}, like
     * {@code index_add}; slices whose index equals {@code skip} are left out (embedding's padding row).
     */
    public static Tensor indexAdd(Tensor base, int dim, int[] index, Tensor src, int skip) {
        Tensor out = TensorAccess.create(base.toFloatArray(), base.shape());
        int[] s = base.dim() == 0 ? new int[] {1} : base.shape();
        int[] st = Shape.contiguousStrides(s);
        int[] srcShape = s.clone();
        srcShape[dim] = index.length;
        int n = Shape.numel(srcShape);
        int[] pos = new int[n];
        boolean[] keep = new boolean[n];
        int kept = 0;
        int[] idx = new int[s.length];
        for (int i = 0; i < n; i++) {
            int p = 0;
            for (int d = 0; d < s.length; d++) {
                p += (d == dim ? index[idx[d]] : idx[d]) * st[d];
            }
            pos[i] = p;
            keep[i] = index[idx[dim]] != skip;
            kept += keep[i] ? 1 : 0;
            for (int d = s.length - 1; d >= 0 && ++idx[d] == srcShape[d]; d--) {
                idx[d] = 0;
            }
        }
        float[] v = src.toFloatArray();
        if (kept < n) {
            int[] p2 = new int[kept];
            float[] v2 = new float[kept];
            for (int i = 0, j = 0; i < n; i++) {
                if (keep[i]) {
                    p2[j] = pos[i];
                    v2[j++] = v[i];
                }
            }
            pos = p2;
            v = v2;
        }
        K.scatterAdd(v, 0, pos, 0, TensorAccess.data(out), pos.length);
        return out;
    }

    /** Checks a mask is bool ({@code message} otherwise). */
    public static void checkBoolMask(Tensor mask, String message) {
        if (TensorAccess.dtype(mask) != DType.BOOL) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The elements of {@code self} where the (broadcast) bool {@code mask} is true, as 1-D, like {@code masked_select}. */
    public static Tensor maskedSelect(Tensor self, Tensor mask) {
        int[] s = Shape.broadcast(self.shape(), mask.shape());
        int[] sp = IntOps.positions(self, s), mp = IntOps.positions(mask, s);
        float[] m = TensorAccess.data(mask);
        int count = 0;
        for (int p : mp) {
            count += m[p] != 0 ? 1 : 0;
        }
        int[] pos = new int[count];
        for (int i = 0, j = 0; i < sp.length; i++) {
            if (m[mp[i]] != 0) {
                pos[j++] = sp[i];
            }
        }
        return take(self, pos, new int[] {count});
    }

    /**
     * A float32 tensor of {@code shape} holding {@code base}'s values, with the true positions of the
     * (broadcast) mask filled in order from {@code source}, like {@code masked_scatter}.
     */
    public static Tensor maskedScatter(Tensor base, Tensor mask, Tensor source) {
        int[] s = base.shape();
        float[] out = base.toFloatArray();
        int[] mp = IntOps.positions(mask, s);
        float[] m = TensorAccess.data(mask), src = source.toFloatArray();
        int j = 0;
        for (int i = 0; i < out.length; i++) {
            if (m[mp[i]] != 0) {
                if (j >= src.length) {
                    throw new IllegalArgumentException("masked_scatter: expected source to have at least as many elements "
                            + "as ones in mask, got " + src.length);
                }
                out[i] = src[j++];
            }
        }
        return TensorAccess.create(out, s);
    }

    /** The indices of the non-zero elements, one row each ((n, rank), int64), like {@code torch.nonzero}. */
    public static Tensor nonzero(Tensor self) {
        int[] s = self.shape();
        int rank = s.length;
        long[] v = TensorAccess.dtype(self) == DType.INT64 ? IntOps.toLongs(self) : null;
        float[] f = v == null ? self.toFloatArray() : null;
        List<int[]> hits = new ArrayList<>();
        int[] idx = new int[rank];
        int n = Shape.numel(s);
        for (int i = 0; i < n; i++) {
            if (v != null ? v[i] != 0 : f[i] != 0) {
                hits.add(idx.clone());
            }
            for (int d = rank - 1; d >= 0 && ++idx[d] == s[d]; d--) {
                idx[d] = 0;
            }
        }
        long[] out = new long[hits.size() * rank];
        for (int i = 0; i < hits.size(); i++) {
            for (int d = 0; d < rank; d++) {
                out[i * rank + d] = hits.get(i)[d];
            }
        }
        return TensorAccess.createLong(out, new int[] {hits.size(), rank});
    }

    /**
     * The indices (int64, keepdim shape with {@code k} along dim) that sort each slice along {@code dim}:
     * the first {@code k} of a stable sort, ascending or descending. NaN sorts above every number and −0
     * equals 0, as in PyTorch.
     */
    public static Tensor sortIndices(Tensor self, int dim, boolean descending, int k) {
        int[] s = self.dim() == 0 ? new int[] {1} : self.shape();
        int size = s[dim];
        int outer = 1, inner = 1;
        for (int d = 0; d < dim; d++) {
            outer *= s[d];
        }
        for (int d = dim + 1; d < s.length; d++) {
            inner *= s[d];
        }
        boolean ints = TensorAccess.dtype(self) == DType.INT64;
        long[] lv = ints ? IntOps.toLongs(self) : null;
        float[] fv = ints ? null : self.toFloatArray();
        int[] outShape = s.clone();
        outShape[dim] = k;
        long[] out = new long[Shape.numel(outShape)];
        Integer[] order = new Integer[size];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * size * inner + i, step = inner;
                for (int r = 0; r < size; r++) {
                    order[r] = r;
                }
                java.util.Comparator<Integer> cmp = ints
                        ? (x, y) -> Long.compare(lv[base + x * step], lv[base + y * step])
                        : (x, y) -> compareFloats(fv[base + x * step], fv[base + y * step]);
                Arrays.sort(order, descending ? cmp.reversed() : cmp);
                for (int r = 0; r < k; r++) {
                    out[o * k * inner + r * inner + i] = order[r];
                }
            }
        }
        return TensorAccess.createLong(out, self.dim() == 0 ? new int[0] : outShape);
    }

    /** Ascending order with NaN above +inf and −0 equal to 0. */
    private static int compareFloats(float a, float b) {
        boolean na = Float.isNaN(a), nb = Float.isNaN(b);
        if (na || nb) {
            return na == nb ? 0 : na ? 1 : -1;
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }

    /**
     * Cumulative sums along {@code dim} ({@code reverse}: from the end), like {@code torch.cumsum}; an
     * integer or bool input gives int64 (summed exactly), float32 stays float32 (summed in order, in float).
     */
    public static Tensor cumsum(Tensor self, int dim, boolean reverse) {
        int[] s = self.dim() == 0 ? new int[] {1} : self.shape();
        int size = s[dim];
        int inner = 1;
        for (int d = dim + 1; d < s.length; d++) {
            inner *= s[d];
        }
        int n = Shape.numel(s);
        int outer = size == 0 ? 0 : n / (size * inner);
        int[] shape = self.shape();
        if (TensorAccess.dtype(self) != DType.FLOAT32) {
            long[] v = IntOps.toLongs(self);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    long acc = 0;
                    for (int r0 = 0; r0 < size; r0++) {
                        int at = o * size * inner + (reverse ? size - 1 - r0 : r0) * inner + i;
                        acc += v[at];
                        v[at] = acc;
                    }
                }
            }
            return TensorAccess.createLong(v, shape);
        }
        float[] v = self.toFloatArray();
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                float acc = 0;
                for (int r0 = 0; r0 < size; r0++) {
                    int at = o * size * inner + (reverse ? size - 1 - r0 : r0) * inner + i;
                    acc += v[at];
                    v[at] = acc;
                }
            }
        }
        return TensorAccess.create(v, shape);
    }

    /**
     * One-hot rows of an int64 tensor (shape (..., numClasses), int64), like {@code F.one_hot};
     * {@code numClasses = -1} takes the largest value + 1.
     */
    public static Tensor oneHot(Tensor self, int numClasses) {
        if (TensorAccess.dtype(self) != DType.INT64) {
            throw new IllegalArgumentException("one_hot is only applicable to index tensor.");
        }
        long[] v = IntOps.toLongs(self);
        long max = -1;
        for (long x : v) {
            if (x < 0) {
                throw new IllegalArgumentException("Class values must be non-negative.");
            }
            max = Math.max(max, x);
        }
        if (numClasses == -1) {
            if (v.length == 0) {
                throw new IllegalArgumentException("Can not infer total number of classes from empty tensor.");
            }
            numClasses = (int) max + 1;
        } else if (max >= numClasses) {
            throw new IllegalArgumentException("Class values must be smaller than num_classes.");
        }
        long[] out = new long[Math.multiplyExact(v.length, numClasses)];
        for (int i = 0; i < v.length; i++) {
            out[i * numClasses + (int) v[i]] = 1;
        }
        int[] s = self.shape();
        int[] os = Arrays.copyOf(s, s.length + 1);
        os[s.length] = numClasses;
        return TensorAccess.createLong(out, os);
    }
}
