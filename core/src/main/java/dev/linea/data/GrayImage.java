package dev.linea.data;

import java.util.Objects;

/**
 * One grey image inside a larger byte array (no copy): {@code rows x cols} unsigned bytes,
 * row-major, starting at {@code offset}. The raw sample of {@link ImageDataset} before its transform.
 *
 * @param pixels the array holding the image, shared; not to be modified
 * @param offset index of the image's first pixel
 * @param rows height H
 * @param cols width W
 */
public record GrayImage(byte[] pixels, int offset, int rows, int cols) {
    /** Checks that the image lies inside the array. */
    public GrayImage {
        Objects.checkFromIndexSize(offset, Math.multiplyExact(rows, cols), pixels.length);
    }

    /** The pixel at ({@code row}, {@code col}), 0..255. */
    public int pixel(int row, int col) {
        return Byte.toUnsignedInt(pixels[offset + Objects.checkIndex(row, rows) * cols + Objects.checkIndex(col, cols)]);
    }
}
