package dev.linea.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One split of an image data set as raw arrays: {@code count} grey images of {@code rows x cols}
 * unsigned bytes (row-major, image after image) and one unsigned-byte label per image.
 *
 * <p>The arrays are shared, not copied (the full training set is 47 MB); callers must not modify
 * them. Equality is by identity of the arrays, as for any record holding arrays.
 *
 * @param kind which data set
 * @param split training or test part
 * @param source where the data came from (a directory, or the class-path resource folder), for
 *     telling the user which data was picked
 * @param count number of images
 * @param rows image height
 * @param cols image width
 * @param pixels {@code count * rows * cols} unsigned bytes
 * @param labels {@code count} unsigned bytes, each below {@code classNames.size()}
 * @param classNames class names indexed by label
 */
public record ImageSet(ImageSetKind kind, Split split, String source, int count, int rows, int cols,
                       byte[] pixels, byte[] labels, List<String> classNames) {

    /**
     * Class-path folder of the Fashion-MNIST sample, which ships in its own jar
     * ({@value #SAMPLE_ARTIFACT}) to keep the core jar small. The hyphen keeps the folder out of any
     * package, so on the module path it is not encapsulated and core's class loader finds it in that jar.
     */
    static final String SAMPLE_FOLDER = "dev/linea/sample-data/fashion-mnist/";
    /** The Maven artifact holding the sample. */
    static final String SAMPLE_ARTIFACT = "dev.linea:linea-sample-data";
    /** Its module name (Automatic-Module-Name) on the module path. */
    static final String SAMPLE_MODULE = "dev.linea.sampledata";

    /** Checks the array lengths against the counts; labels are checked where loaded, to name the file. */
    public ImageSet {
        classNames = List.copyOf(classNames);
        if (count <= 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("count, rows, cols must be positive: " + count + ", " + rows + ", " + cols);
        }
        if (pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException(count + " images of " + rows + "x" + cols + " need "
                    + (long) count * rows * cols + " pixel bytes, got " + pixels.length);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(count + " images need " + count + " labels, got " + labels.length);
        }
    }

    /**
     * Loads one split of a data set, finding files with {@link DataLocator#system()}.
     *
     * @param root explicit data set directory or data root; empty to search the usual places
     * @throws DataNotFoundException when the files are found nowhere (the message says where it looked)
     * @throws IdxFormatException when a file is malformed or images and labels disagree
     */
    public static ImageSet load(ImageSetKind kind, Split split, Optional<Path> root) throws IOException {
        return load(kind, split, root, DataLocator.system());
    }

    /** As {@link #load(ImageSetKind, Split, Optional)}, with the given locator. */
    public static ImageSet load(ImageSetKind kind, Split split, Optional<Path> root, DataLocator locator)
            throws IOException {
        if (kind.embedded()) {
            return loadSample(split);
        }
        DataFiles files = locator.locate(kind, root);
        Path images = files.images(split);
        Path labels = files.labels(split);
        return of(kind, split, files.directory().toString(), Idx.read(images), images.toString(),
                Idx.read(labels), labels.toString());
    }

    /**
     * Which Fashion-MNIST to use: the full set when it is found, else the embedded sample. With an
     * explicit root the full set is required there (no silent fallback from a path the user named).
     */
    public static ImageSetKind autoKind(Optional<Path> root, DataLocator locator) throws DataNotFoundException {
        if (root.isPresent()) {
            locator.locate(ImageSetKind.FASHION_MNIST, root);
            return ImageSetKind.FASHION_MNIST;
        }
        return locator.find(ImageSetKind.FASHION_MNIST, root).isPresent()
                ? ImageSetKind.FASHION_MNIST : ImageSetKind.FASHION_MNIST_SAMPLE;
    }

    /**
     * Loads full Fashion-MNIST when found, else the embedded sample; {@link #kind()} and
     * {@link #source()} of the result say which was picked. Call {@link #autoKind} once and
     * {@link #load} per split instead when both splits must surely come from the same set.
     */
    public static ImageSet loadAuto(Split split, Optional<Path> root) throws IOException {
        DataLocator locator = DataLocator.system();
        return load(autoKind(root, locator), split, root, locator);
    }

    /**
     * Loads one split of the Fashion-MNIST sample (5,000 train / 1,000 test) from the class path, where
     * the {@code dev.linea:linea-sample-data} jar puts it.
     *
     * @throws NoSuchFileException when that jar is not on the class path (the message names it)
     */
    public static ImageSet loadSample(Split split) throws IOException {
        String images = SAMPLE_FOLDER + split.imagesFile() + ".gz";
        String labels = SAMPLE_FOLDER + split.labelsFile() + ".gz";
        return of(ImageSetKind.FASHION_MNIST_SAMPLE, split, "classpath:" + SAMPLE_FOLDER,
                readResource(images), images, readResource(labels), labels);
    }

    /**
     * Builds an image set from decoded IDX files, checking that the images are 3-dimensional, the
     * labels 1-dimensional, their counts equal, and every label a valid class.
     *
     * @param imagesName names the images file in error messages
     * @param labelsName names the labels file in error messages
     */
    public static ImageSet of(ImageSetKind kind, Split split, String source, IdxData images, String imagesName,
                              IdxData labels, String labelsName) throws IdxFormatException {
        if (images.dims().length != 3) {
            throw new IdxFormatException(imagesName, "an images file needs 3 dimensions (count x rows x cols), has "
                    + images.dims().length + ": " + IdxData.shape(images.dims()));
        }
        if (labels.dims().length != 1) {
            throw new IdxFormatException(labelsName, "a labels file needs 1 dimension (count), has "
                    + labels.dims().length + ": " + IdxData.shape(labels.dims()));
        }
        if (images.count() != labels.count()) {
            throw new IdxFormatException(labelsName, "has " + labels.count() + " labels but " + imagesName
                    + " has " + images.count() + " images");
        }
        int classes = kind.classNames().size();
        byte[] l = labels.data();
        for (int i = 0; i < l.length; i++) {
            if (Byte.toUnsignedInt(l[i]) >= classes) {
                throw new IdxFormatException(labelsName, "label " + Byte.toUnsignedInt(l[i]) + " at index " + i
                        + " is not a class of " + kind.displayName() + " (0.." + (classes - 1) + ")");
            }
        }
        return new ImageSet(kind, split, source, images.count(), images.dims()[1], images.dims()[2],
                images.data(), l, kind.classNames());
    }

    private static IdxData readResource(String name) throws IOException {
        URL url = findResource(name);
        if (url == null) {
            // On the module path an automatic module nobody requires is not resolved, even when its jar is there.
            String modulePath = ImageSet.class.getModule().isNamed()
                    ? "; on the module path also --add-modules " + SAMPLE_MODULE : "";
            throw new NoSuchFileException("classpath:" + name, null, "the Fashion-MNIST sample is not on the class path;"
                    + " it ships in " + SAMPLE_ARTIFACT + " (add it as a dependency, same version as linea-core"
                    + modulePath + ")");
        }
        // The resource's length (a jar entry's or a file's) lets Idx allocate the data once, at its size.
        URLConnection connection = url.openConnection();
        try (InputStream in = connection.getInputStream()) {
            return Idx.read(in, "classpath:" + name, connection.getContentLengthLong());
        }
    }

    /** {@code name} through core's class loader, else the thread's (an application server's, a plugin's). */
    private static URL findResource(String name) {
        ClassLoader own = ImageSet.class.getClassLoader();
        URL url = own != null ? own.getResource(name) : ClassLoader.getSystemResource(name);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (url == null && context != null && context != own) {
            url = context.getResource(name);
        }
        return url;
    }

    /** Name for messages, e.g. {@code Fashion-MNIST train}. */
    public String name() {
        return kind.displayName() + " " + split.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Bytes per image: {@code rows * cols}. */
    public int imageSize() {
        return rows * cols;
    }

    /** Label of image {@code i}, 0..classes-1. */
    public int label(int i) {
        return Byte.toUnsignedInt(labels[i]);
    }

    /** Pixel of image {@code i} at ({@code row}, {@code col}), 0..255. */
    public int pixel(int i, int row, int col) {
        return Byte.toUnsignedInt(pixels[(i * rows + row) * cols + col]);
    }

    /** One line saying what was loaded and from where, for the CLI to print. */
    public String describe() {
        return name() + ": " + count + " images " + rows + "x" + cols + ", " + classNames.size()
                + " classes, from " + source;
    }

    @Override
    public String toString() {
        return "ImageSet[" + describe() + "]";
    }
}
