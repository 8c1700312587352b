package dev.linea.onnx;

import dev.linea.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Selecting along one axis with a list of indices, differentiably: runs of consecutive indices become one
 * {@code narrow}, the pieces one {@code cat} (so nearest-neighbour upsampling and Gather stay on autograd).
 */
final class Indexing {
    private Indexing() {}

    /** {@code x} with axis {@code axis} replaced by the slices {@code idx} (each in range). */
    static Tensor indexSelect(Tensor x, int axis, int[] idx) {
        if (idx.length == 0) {
            int[] s = x.shape();
            s[axis] = 0;
            return Tensor.zeros(s);
        }
        List<Tensor> parts = new ArrayList<>();
        int start = idx[0], len = 1;
        for (int i = 1; i <= idx.length; i++) {
            if (i < idx.length && idx[i] == start + len) {
                len++;
                continue;
            }
            parts.add(x.narrow(axis, start, len));
            if (i < idx.length) {
                start = idx[i];
                len = 1;
            }
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return Tensor.cat(parts, axis);
    }

    /** ONNX Gather on a float tensor: indices (any shape, negative counted from the end) along {@code axis}. */
    static Tensor gather(Tensor data, int axis, long[] indices, int[] indicesShape) {
        int n = data.size(axis);
        int[] idx = new int[indices.length];
        for (int i = 0; i < idx.length; i++) {
            long j = indices[i] < 0 ? indices[i] + n : indices[i];
            if (j < 0 || j >= n) {
                throw new IllegalArgumentException("Gather: index " + indices[i] + " is out of bounds for axis " + axis
                        + " of size " + n);
            }
            idx[i] = (int) j;
        }
        Tensor picked = indexSelect(data, axis, idx);
        return picked.reshape(gatheredShape(data.shape(), axis, indicesShape));
    }

    /** Gather on an integer value (shapes): same rule, on longs. */
    static Value gather(Value data, int axis, long[] indices, int[] indicesShape) {
        int[] ds = data.shape;
        int n = ds[axis];
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) {
            outer *= ds[i];
        }
        for (int i = axis + 1; i < ds.length; i++) {
            inner *= ds[i];
        }
        long[] out = new long[outer * indices.length * inner];
        int o = 0;
        for (int a = 0; a < outer; a++) {
            for (long ix : indices) {
                long j = ix < 0 ? ix + n : ix;
                if (j < 0 || j >= n) {
                    throw new IllegalArgumentException("Gather: index " + ix + " is out of bounds for axis " + axis
                            + " of size " + n);
                }
                for (int b = 0; b < inner; b++) {
                    out[o++] = data.ints[(int) ((a * n + j) * inner + b)];
                }
            }
        }
        return Value.ints(out, gatheredShape(ds, axis, indicesShape), data.type);
    }

    /** Gather's output shape: {@code data.shape[:axis] + indices.shape + data.shape[axis+1:]}. */
    private static int[] gatheredShape(int[] ds, int axis, int[] indicesShape) {
        int[] out = new int[ds.length - 1 + indicesShape.length];
        int o = 0;
        for (int i = 0; i < axis; i++) {
            out[o++] = ds[i];
        }
        for (int s : indicesShape) {
            out[o++] = s;
        }
        for (int i = axis + 1; i < ds.length; i++) {
            out[o++] = ds[i];
        }
        return out;
    }
}
