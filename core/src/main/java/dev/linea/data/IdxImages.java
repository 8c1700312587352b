package dev.linea.data;

import dev.linea.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One image data set stored as IDX files (MNIST's format), as a program loads it: its class names, the
 * pixel statistics to normalise it with, and each split as an {@link ImageDataset} of (image (1, H, W),
 * label 0-D) examples. It plays the part of torchvision's {@code MNIST} class, of which
 * {@code FashionMNIST} is the same code over other files; {@link MNIST} and {@link FashionMNIST} are
 * static faces over one instance each.
 *
 * <p>The files are found by a {@link DataLocator}: an explicit root (the set's directory or a data root
 * holding it, and then nowhere else), else {@code $LINEA_DATA}, {@code ~/.linea/data} and Debian's
 * {@code /usr/share/datasets}. The embedded kind ({@link ImageSetKind#FASHION_MNIST_SAMPLE}) is read
 * from the jar and has no files to find.
 *
 * <pre>{@code
 * IdxImages fashion = new IdxImages(ImageSetKind.FASHION_MNIST);
 * ImageDataset train = fashion.load(Split.TRAIN, Optional.empty(), fashion.normalized());
 * }</pre>
 */
public final class IdxImages {
    private final ImageSetKind kind;
    private final Supplier<DataLocator> locator;

    /**
     * The data set {@code kind}, looked up with {@link DataLocator#system()} at each load (so the
     * environment and home directory in force then are the ones searched).
     */
    public IdxImages(ImageSetKind kind) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.locator = DataLocator::system;
    }

    /** The data set {@code kind}, looked up with {@code locator} (e.g. one over a test's own environment). */
    public IdxImages(ImageSetKind kind, DataLocator locator) {
        this.kind = Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(locator, "locator");
        this.locator = () -> locator;
    }

    /** Which data set this is. */
    public ImageSetKind kind() {
        return kind;
    }

    /** The class names indexed by label. */
    public List<String> classNames() {
        return kind.classNames();
    }

    /** Mean of the training pixels in [0, 1], for {@link Normalize}. */
    public float mean() {
        return kind.mean();
    }

    /** Standard deviation of the training pixels in [0, 1], for {@link Normalize}. */
    public float std() {
        return kind.std();
    }

    /** {@code ToTensor} then {@code Normalize(mean(), std())}: inputs with mean about 0 and deviation about 1. */
    public Transform<GrayImage, Tensor> normalized() {
        return new ToTensor().andThen(new Normalize(kind.mean(), kind.std()));
    }

    /**
     * One split from the usual places, each image by {@link ToTensor}: shape (1, H, W), values in [0, 1].
     *
     * @throws DataNotFoundException when it is nowhere; the message lists where it looked and how to get it
     * @throws IdxFormatException when a file is malformed or its images and labels disagree
     */
    public ImageDataset load(Split split) throws IOException {
        return load(split, Optional.empty(), new ToTensor());
    }

    /**
     * One split from {@code root} (the set's directory or a data root; empty for the usual places), each
     * image converted by {@code transform}.
     *
     * @throws DataNotFoundException when it is not there (or nowhere); the message lists where it looked
     * @throws IdxFormatException when a file is malformed or its images and labels disagree
     */
    public ImageDataset load(Split split, Optional<Path> root, Transform<GrayImage, Tensor> transform)
            throws IOException {
        return new ImageDataset(ImageSet.load(kind, split, root, locator.get()), transform);
    }

    @Override
    public String toString() {
        return "IdxImages[" + kind.displayName() + "]";
    }
}
