package dev.linea.nn.functional;

import dev.linea.DType;
import dev.linea.Tensor;

import java.util.Arrays;

/** Validation shared by the classification losses: logits shape and class-index targets. */
final class ClassTargets {
    private ClassTargets() {}

    /** Returns {N, C} for logits of shape (N, C) or (C). */
    static int[] checkLogits(String loss, Tensor input) {
        int[] s = input.shape();
        if (s.length == 2) {
            return s;
        }
        if (s.length == 1) {
            return new int[] {1, s[0]};
        }
        throw new IllegalArgumentException(loss + " expects input of shape (N, C) or (C), got " + Arrays.toString(s));
    }

    /**
     * Class indices as ints: the target must be int64 (PyTorch's error otherwise), each index in [0, C)
     * ({@code Target 7 is out of bounds.} otherwise).
     */
    static int[] indices(String loss, Tensor target, int n, int c) {
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException("expected scalar type Long but found " + target.dtype().scalarName());
        }
        if (target.numel() != n || target.dim() > 1) {
            throw new IllegalArgumentException(loss + ": target shape " + Arrays.toString(target.shape())
                    + " does not match the batch: expected (" + n + ") class indices for input with " + n
                    + " row" + (n == 1 ? "" : "s") + " and " + c + " classes");
        }
        long[] v = target.toLongArray();
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            long x = v[i];
            if (x < 0 || x >= c) {
                throw new IndexOutOfBoundsException("Target " + x + " is out of bounds.");
            }
            t[i] = (int) x;
        }
        return t;
    }
}
