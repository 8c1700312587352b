package dev.linea.onnx;

import java.util.Arrays;
import java.util.function.LongBinaryOperator;

/**
 * Integer tensors (shapes, axes, indices) computed on longs with numpy broadcasting: what PyTorch's exporter
 * emits around {@code x.view(x.size(0), -1)} (Shape, Gather, Unsqueeze, Concat, arithmetic) before a Reshape.
 */
final class IntOps {
    private IntOps() {}

    static int[] broadcast(int[] a, int[] b, String op) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int x = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int y = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    static Value binary(Value a, Value b, LongBinaryOperator f, String op) {
        int[] shape = broadcast(a.shape, b.shape, op);
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        long[] out = new long[n];
        int[] idx = new int[shape.length];
        for (int i = 0; i < n; i++) {
            out[i] = f.applyAsLong(a.ints[offset(idx, a.shape, shape.length)], b.ints[offset(idx, b.shape, shape.length)]);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return Value.ints(out, shape, a.type);
    }

    private static int offset(int[] idx, int[] shape, int rank) {
        int off = 0, lead = rank - shape.length;
        for (int d = 0; d < shape.length; d++) {
            off = off * shape[d] + (shape[d] == 1 ? 0 : idx[d + lead]);
        }
        return off;
    }

    static Value concat(Value[] parts, int axis) {
        int[] shape = parts[0].shape.clone();
        int total = 0;
        for (Value p : parts) {
            total += p.shape[axis];
        }
        shape[axis] = total;
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        long[] out = new long[outer * (shape.length == 0 ? 1 : Arrays.stream(shape).skip(axis).reduce(1, (x, y) -> x * y))];
        int o = 0;
        for (int a = 0; a < outer; a++) {
            for (Value p : parts) {
                int chunk = p.ints.length / outer;
                System.arraycopy(p.ints, a * chunk, out, o, chunk);
                o += chunk;
            }
        }
        return Value.ints(out, shape, parts[0].type);
    }

    static Value transpose(Value v, int[] perm) {
        int[] s = v.shape, out = new int[s.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = s[perm[i]];
        }
        int[] stride = new int[s.length];
        for (int d = s.length - 1, st = 1; d >= 0; d--) {
            stride[d] = st;
            st *= s[d];
        }
        long[] data = new long[v.ints.length];
        int[] idx = new int[out.length];
        for (int i = 0; i < data.length; i++) {
            int off = 0;
            for (int d = 0; d < out.length; d++) {
                off += idx[d] * stride[perm[d]];
            }
            data[i] = v.ints[off];
            for (int d = out.length - 1; d >= 0; d--) {
                if (++idx[d] < out[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return Value.ints(data, out, v.type);
    }
}
