package dev.linea.data;

import dev.linea.Tensor;

import java.util.List;
import java.util.Objects;

/**
 * A labelled grey-image dataset over an {@link ImageSet}'s byte arrays: example {@code i} is the
 * transformed image (by default {@link ToTensor}: shape (1, H, W), values in [0, 1]) and its label
 * as a 0-D float tensor.
 *
 * <p>Batches skip the per-image path: when the transform is {@link Transform#pointwise() pointwise}
 * ({@code ToTensor}, optionally followed by {@code Normalize}) it is evaluated once for each of the
 * 256 pixel values, and a batch is one loop looking pixels up in that table, bit-for-bit equal to
 * transforming each image. Other transforms fall back to one {@link #get} per image.
 */
public final class ImageDataset implements SupervisedDataset {
    private final ImageSet set;
    private final Transform<GrayImage, Tensor> transform;
    private final float[] table; // transform of pixel values 0..255, or null when not pointwise

    /** The images of {@code set}, each converted by {@link ToTensor}. */
    public ImageDataset(ImageSet set) {
        this(set, new ToTensor());
    }

    /** The images of {@code set}, each converted by {@code transform}. */
    public ImageDataset(ImageSet set, Transform<GrayImage, Tensor> transform) {
        this.set = Objects.requireNonNull(set);
        this.transform = Objects.requireNonNull(transform);
        this.table = transform.pointwise() ? table(transform) : null;
    }

    /**
     * Runs the transform on an image holding every byte value once: its output is the lookup table (shared with
     * {@link ImageFolder}).
     */
    static float[] table(Transform<GrayImage, Tensor> transform) {
        byte[] ramp = new byte[256];
        for (int i = 0; i < 256; i++) {
            ramp[i] = (byte) i;
        }
        Tensor t = transform.apply(new GrayImage(ramp, 0, 1, 256));
        if (t.numel() != 256) {
            throw new IllegalArgumentException("transform " + transform + " declares itself pointwise but turned a 1x256 "
                    + "image into shape " + java.util.Arrays.toString(t.shape()));
        }
        return t.toFloatArray();
    }

    /** The same images and labels with another transform (the arrays are shared). */
    public ImageDataset withTransform(Transform<GrayImage, Tensor> transform) {
        return new ImageDataset(set, transform);
    }

    /** The raw arrays. */
    public ImageSet imageSet() {
        return set;
    }

    /** The transform applied to each image. */
    public Transform<GrayImage, Tensor> transform() {
        return transform;
    }

    /** Class names indexed by label, e.g. {@code T-shirt/top} for label 0 of Fashion-MNIST. */
    public List<String> classNames() {
        return set.classNames();
    }

    @Override
    public int size() {
        return set.count();
    }

    /** Image {@code index} untransformed (a view of the byte array). */
    public GrayImage image(int index) {
        int hw = set.imageSize();
        return new GrayImage(set.pixels(), Objects.checkIndex(index, size()) * hw, set.rows(), set.cols());
    }

    /** Label of image {@code index}, 0..classes-1. */
    public int label(int index) {
        return set.label(Objects.checkIndex(index, size()));
    }

    /** The transformed image (shape (1, H, W) for the built-in transforms) and its label as a 0-D int64 tensor. */
    @Override
    public Example get(int index) {
        return new Example(transform.apply(image(index)), Tensor.ofLongs(new long[] {(long) label(index)}).reshape());
    }

    /** Images at {@code indices} as (B, 1, H, W) and their labels as (B), int64 as PyTorch's loaders give them. */
    @Override
    public Batch batch(int[] indices) {
        if (table == null) {
            return Collate.examples(this, indices);
        }
        int hw = set.imageSize();
        byte[] px = set.pixels();
        byte[] labels = set.labels();
        float[] lut = table;
        float[] x = new float[Math.multiplyExact(indices.length, hw)];
        long[] y = new long[indices.length];
        for (int b = 0; b < indices.length; b++) {
            int i = Objects.checkIndex(indices[b], size());
            int src = i * hw, dst = b * hw;
            for (int j = 0; j < hw; j++) {
                x[dst + j] = lut[px[src + j] & 0xFF];
            }
            y[b] = labels[i] & 0xFF;
        }
        return new Batch(Tensor.wrap(x, indices.length, 1, set.rows(), set.cols()), Tensor.ofLongs(y, indices.length));
    }

    /**
     * The whole set in memory: images (N, 1, H, W) transformed (in [0, 1] with {@link ToTensor}; add
     * {@link Normalize} to standardise) and labels (N), for training without a loader.
     */
    public Batch toTensors() {
        int[] all = new int[size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return batch(all);
    }

    @Override
    public String toString() {
        return "ImageDataset[" + set.describe() + ", transform=" + transform + "]";
    }
}
