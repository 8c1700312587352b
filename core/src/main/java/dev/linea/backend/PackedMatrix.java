package dev.linea.backend;

import java.util.Objects;

/**
 * The right-hand operand {@code op(B)} (k×n) of many matrix products, laid out once by
 * {@link Backend#pack} in the layout its backend's kernel reads, for {@link Backend#sgemm(int, float[], int, int,
 * PackedMatrix, float[], int, int, boolean)}: a recurrent weight used at every step of a sequence is packed
 * once per sequence instead of once per step. It holds a copy: later changes to the source array are not
 * seen. Only the backend that packed it may use it.
 *
 * @param owner the backend that packed it
 * @param k     rows of op(B) (the inner dimension of the products)
 * @param n     columns of op(B) (the columns of C)
 * @param data  the packed values, in the owner's layout
 */
public record PackedMatrix(Backend owner, int k, int n, float[] data) {

    public PackedMatrix {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(data, "data");
        if (k < 0 || n < 0) {
            throw new IllegalArgumentException("packed matrix: negative size " + k + "x" + n);
        }
    }

    /** This matrix's data, after checking that {@code backend} packed it and that it is {@code k} rows deep. */
    public float[] dataFor(Backend backend, int k) {
        if (owner != backend) {
            throw new IllegalArgumentException("packed matrix: packed by backend " + owner.name() + ", used by "
                    + backend.name());
        }
        if (k != this.k) {
            throw new IllegalArgumentException("packed matrix: inner dimension " + this.k + ", product needs " + k);
        }
        return data;
    }
}
