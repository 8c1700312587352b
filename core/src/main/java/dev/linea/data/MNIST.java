package dev.linea.data;

import dev.linea.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The MNIST handwritten digits: 28x28 grey images of 0-9, 60,000 for training and 10,000 for testing,
 * converted once by {@code ./linea data mnist}. Examples are (image (1, 28, 28) in [0, 1] unless another
 * transform is given, label 0-D). A static face over {@link IdxImages} for {@link ImageSetKind#MNIST}.
 */
public final class MNIST {
    /** Mean of the training pixels in [0, 1], for {@link Normalize}. */
    public static final float MEAN = ImageSetKind.MNIST.mean();
    /** Standard deviation of the training pixels in [0, 1], for {@link Normalize}. */
    public static final float STD = ImageSetKind.MNIST.std();

    private static final IdxImages SET = new IdxImages(ImageSetKind.MNIST);

    private MNIST() {}

    /** The class names: "0" to "9". */
    public static List<String> classNames() {
        return SET.classNames();
    }

    /** {@code ToTensor} then {@code Normalize(MEAN, STD)}. */
    public static Transform<GrayImage, Tensor> normalized() {
        return SET.normalized();
    }

    /**
     * The data set, found by {@link DataLocator#system()}.
     *
     * @throws DataNotFoundException when it is nowhere; the message says how to get it
     */
    public static ImageDataset load(Split split) throws IOException {
        return SET.load(split);
    }

    /** The data set from {@code root} (or the usual places when empty), transformed by {@code transform}. */
    public static ImageDataset load(Split split, Optional<Path> root, Transform<GrayImage, Tensor> transform)
            throws IOException {
        return SET.load(split, root, transform);
    }
}
