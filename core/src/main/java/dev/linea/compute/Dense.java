package dev.linea.compute;

import dev.linea.Tensor;
import dev.linea.internal.TensorAccess;

/**
 * A tensor's elements as one dense row-major run: {@code a[off .. off + numel)}. For a contiguous tensor
 * this is its own storage (no copy: read it, don't write it unless you own the tensor); otherwise a copy.
 * The one way Linea's compute code gets at a tensor's values as an array.
 *
 * @param a   the array
 * @param off index of the first element
 */
public record Dense(float[] a, int off) {

    /** {@code t}'s values, sharing its storage when it is contiguous. */
    public static Dense of(Tensor t) {
        if (t.isContiguous()) {
            return new Dense(TensorAccess.data(t), TensorAccess.offset(t));
        }
        return new Dense(t.toFloatArray(), 0);
    }

    /**
     * {@code t}'s values in an array of exactly {@code numel} elements starting at 0: the storage itself
     * when it is already that, else a copy. For kernels that take one offset for several arrays.
     */
    public static float[] array(Tensor t) {
        float[] data = TensorAccess.data(t);
        if (t.isContiguous() && TensorAccess.offset(t) == 0 && data.length == t.numel()) {
            return data;
        }
        return t.toFloatArray();
    }
}
