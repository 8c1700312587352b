package dev.linea.data;

import dev.linea.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Zalando's Fashion-MNIST: 28x28 grey images of clothes in 10 classes, 60,000 for training and 10,000
 * for testing, or the 5,000 + 1,000 image sample on the class path ({@code dev.linea:linea-sample-data}). Examples are (image (1, 28, 28) in
 * [0, 1] unless another transform is given, label 0-D). A static face over {@link IdxImages} for
 * {@link ImageSetKind#FASHION_MNIST}, plus the sample.
 */
public final class FashionMNIST {
    /** Mean of the training pixels in [0, 1], for {@link Normalize}. */
    public static final float MEAN = ImageSetKind.FASHION_MNIST.mean();
    /** Standard deviation of the training pixels in [0, 1], for {@link Normalize}. */
    public static final float STD = ImageSetKind.FASHION_MNIST.std();

    private static final IdxImages SET = new IdxImages(ImageSetKind.FASHION_MNIST);

    private FashionMNIST() {}

    /** The class names indexed by label: T-shirt/top, Trouser, ... Ankle boot. */
    public static List<String> classNames() {
        return SET.classNames();
    }

    /** {@code ToTensor} then {@code Normalize(MEAN, STD)}. */
    public static Transform<GrayImage, Tensor> normalized() {
        return SET.normalized();
    }

    /**
     * The full data set, found by {@link DataLocator#system()} ({@code LINEA_DATA}, {@code ~/.linea/data},
     * the Debian package's directory...).
     *
     * @throws DataNotFoundException when it is nowhere; the message says how to get it
     */
    public static ImageDataset load(Split split) throws IOException {
        return SET.load(split);
    }

    /** The full data set from {@code root} (or the usual places when empty), transformed by {@code transform}. */
    public static ImageDataset load(Split split, Optional<Path> root, Transform<GrayImage, Tensor> transform)
            throws IOException {
        return SET.load(split, root, transform);
    }

    /**
     * The sample: 5,000 training or 1,000 test images, 10 classes balanced, read from the class path.
     *
     * @throws java.nio.file.NoSuchFileException when {@code dev.linea:linea-sample-data} is not on the class path
     */
    public static ImageDataset sample(Split split) throws IOException {
        return sample(split, new ToTensor());
    }

    /** The sample with a transform. */
    public static ImageDataset sample(Split split, Transform<GrayImage, Tensor> transform) throws IOException {
        return new ImageDataset(ImageSet.loadSample(split), transform);
    }

    /**
     * The full set when found, else the sample ({@code imageSet().kind()} says which); with
     * an explicit root the full set is required there.
     */
    public static ImageDataset auto(Split split, Optional<Path> root, Transform<GrayImage, Tensor> transform)
            throws IOException {
        return new ImageDataset(ImageSet.loadAuto(split, root), transform);
    }
}
