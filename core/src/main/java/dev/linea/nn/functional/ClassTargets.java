package dev.linea.nn.functional;

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

    /** Class indices as ints, each checked to be a whole number in [0, C). */
    static int[] indices(String loss, Tensor target, int n, int c) {
        if (target.numel() != n || target.dim() > 1) {
            throw new IllegalArgumentException(loss + ": target shape " + Arrays.toString(target.shape())
                    + " does not match the batch: expected (" + n + ") class indices for input with " + n
                    + " row" + (n == 1 ? "" : "s") + " and " + c + " classes");
        }
        float[] v = target.toFloatArray();
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            float x = v[i];
            if (!(x >= 0 && x < c) || x != Math.rint(x)) {
                throw new IllegalArgumentException(loss + ": target " + x + " at position " + i
                        + " is out of bounds: class indices must be whole numbers in [0, " + (c - 1) + "] for " + c + " classes");
            }
            t[i] = (int) x;
        }
        return t;
    }
}
