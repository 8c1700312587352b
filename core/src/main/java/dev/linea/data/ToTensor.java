package dev.linea.data;

import dev.linea.Tensor;

/**
 * Converts a grey image of bytes 0..255 to a float tensor of shape (1, H, W) with values in
 * [0, 1] ({@code byte / 255}), like torchvision's {@code ToTensor}.
 */
public final class ToTensor implements Transform<GrayImage, Tensor> {
    @Override
    public Tensor apply(GrayImage image) {
        int n = image.rows() * image.cols();
        float[] out = new float[n];
        byte[] px = image.pixels();
        int at = image.offset();
        for (int i = 0; i < n; i++) {
            out[i] = Byte.toUnsignedInt(px[at + i]) / 255f;
        }
        return Tensor.wrap(out, 1, image.rows(), image.cols());
    }

    @Override
    public boolean pointwise() {
        return true;
    }

    @Override
    public String toString() {
        return "ToTensor()";
    }
}
