package dev.linea.nn.functional;

import dev.linea.Tensor;

import java.util.Arrays;

/** The logits shape check of the classification losses' fused path (class indices: {@link ClassLosses#classIndices}). */
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
}
