package dev.linea.data;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The contents of an unsigned-byte IDX file: its dimensions and its data in row-major order.
 * The first dimension counts items (images, labels); the rest give the shape of one item.
 *
 * <p>The arrays are not copied (data sets are tens of megabytes); callers must not modify them.
 *
 * @param dims dimensions, each positive, at least one
 * @param data the values, {@code product(dims)} bytes, to be read as unsigned
 */
public record IdxData(int[] dims, byte[] data) {

    /** Checks that the dimensions are positive and that {@code data} holds exactly their product. */
    public IdxData {
        long expected = Idx.checkedProduct(dims, "IdxData");
        if (data.length != expected) {
            throw new IllegalArgumentException("IdxData: dims " + shape(dims) + " need " + expected
                    + " bytes, data has " + data.length);
        }
    }

    /** Number of items: the first dimension. */
    public int count() {
        return dims[0];
    }

    /** Bytes per item: the product of all dimensions but the first (1 for a label file). */
    public int itemSize() {
        return data.length / dims[0];
    }

    /** The value at a flat index, read as unsigned (0..255). */
    public int get(int index) {
        return Byte.toUnsignedInt(data[index]);
    }

    /** The value at byte {@code offset} of item {@code item}, read as unsigned (0..255). */
    public int get(int item, int offset) {
        return Byte.toUnsignedInt(data[item * itemSize() + offset]);
    }

    /** Dimensions joined with " x ", as used in error messages. */
    static String shape(int[] dims) {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(" x "));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxData other && Arrays.equals(dims, other.dims) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxData[" + shape(dims) + "]";
    }
}
