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
        float[] inputs = new float[Math.multiplyExact(indices.length, inSize)];
        float[] targets = new float[Math.multiplyExact(indices.length, tgSize)];
        for (int b = 0; b < indices.length; b++) {
            Example e = b == 0 ? first : dataset.get(Objects.checkIndex(indices[b], dataset.size()));
            copyRow(e.input(), inShape, inputs, b * inSize, "input", indices[b]);
            copyRow(e.target(), tgShape, targets, b * tgSize, "target", indices[b]);
        }
        Tensor tg = Tensor.wrap(targets, prepend(indices.length, tgShape));
        if (first.target().dtype() != DType.FLOAT32) {
            // Integer targets (labels): collated in longs so they stay exact, in the first example's dtype.
            long[] exact = new long[targets.length];
            for (int b = 0; b < indices.length; b++) {
                Tensor t = b == 0 ? first.target() : dataset.get(indices[b]).target();
                System.arraycopy(t.toLongArray(), 0, exact, b * tgSize, tgSize);
            }
            tg = Tensor.ofLongs(exact, prepend(indices.length, tgShape)).to(first.target().dtype());
        }
        return new Batch(Tensor.wrap(inputs, prepend(indices.length, inShape)), tg);
    }

    /** Copies a tensor's elements into {@code out[at..]}: one arraycopy when it is contiguous. */
    static void copyRow(Tensor t, int[] expectedShape, float[] out, int at, String what, int index) {
        if (!Arrays.equals(t.shape(), expectedShape)) {
            throw new IllegalArgumentException("cannot stack examples of different shapes: " + what + " of example "
                    + index + " has shape " + Arrays.toString(t.shape()) + ", the batch's first has "
                    + Arrays.toString(expectedShape));
        }
        Dense d = Dense.of(t);
        System.arraycopy(d.a(), d.off(), out, at, t.numel());
    }

    /** {@code (n, shape...)}. */
    static int[] prepend(int n, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }
}
