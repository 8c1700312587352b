package dev.linea.data;

import dev.linea.compute.Dense;
import dev.linea.DType;
import dev.linea.Tensor;

import java.util.Arrays;
import java.util.Objects;

/** Stacking samples into batches by copying their rows into one array. */
final class Collate {
    private Collate() {}

    /** Stacks {@code dataset.get(i)} for each index: the generic path, one {@code get} per example. */
    static Batch examples(Dataset<Example> dataset, int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("cannot collate an empty batch");
        }
        Example first = dataset.get(Objects.checkIndex(indices[0], dataset.size()));
        int[] inShape = first.input().shape(), tgShape = first.target().shape();
        int inSize = first.input().numel(), tgSize = first.target().numel();
        DType tgType = first.target().dtype();
        float[] inputs = new float[Math.multiplyExact(indices.length, inSize)];
        // Integer targets (labels) are collated in longs, so they stay exact and keep the first example's dtype.
        boolean exact = tgType != DType.FLOAT32;
        float[] targets = exact ? null : new float[Math.multiplyExact(indices.length, tgSize)];
        long[] longTargets = exact ? new long[Math.multiplyExact(indices.length, tgSize)] : null;
        for (int b = 0; b < indices.length; b++) {
            Example e = b == 0 ? first : dataset.get(Objects.checkIndex(indices[b], dataset.size()));
            copyRow(e.input(), inShape, inputs, b * inSize, "input", indices[b]);
            if (exact) {
                checkShape(e.target(), tgShape, "target", indices[b]);
                System.arraycopy(e.target().toLongArray(), 0, longTargets, b * tgSize, tgSize);
            } else {
                copyRow(e.target(), tgShape, targets, b * tgSize, "target", indices[b]);
            }
        }
        int[] batchTgShape = prepend(indices.length, tgShape);
        Tensor tg = exact ? Tensor.ofLongs(longTargets, batchTgShape).to(tgType) : Tensor.wrap(targets, batchTgShape);
        return new Batch(Tensor.wrap(inputs, prepend(indices.length, inShape)), tg);
    }

    /** Copies a tensor's elements into {@code out[at..]}: one arraycopy when it is contiguous. */
    static void copyRow(Tensor t, int[] expectedShape, float[] out, int at, String what, int index) {
        checkShape(t, expectedShape, what, index);
        Dense d = Dense.of(t);
        System.arraycopy(d.a(), d.off(), out, at, t.numel());
    }

    private static void checkShape(Tensor t, int[] expectedShape, String what, int index) {
        if (!Arrays.equals(t.shape(), expectedShape)) {
            throw new IllegalArgumentException("cannot stack examples of different shapes: " + what + " of example "
                    + index + " has shape " + Arrays.toString(t.shape()) + ", the batch's first has "
                    + Arrays.toString(expectedShape));
        }
    }

    /** {@code (n, shape...)}. */
    static int[] prepend(int n, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }
}
