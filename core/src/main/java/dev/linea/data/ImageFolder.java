package dev.linea.data;

import dev.linea.Tensor;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Labelled images from a folder with one sub-folder per class, as torchvision's {@code ImageFolder}:
 * <pre>
 * root/cat/001.png     root/dog/a.jpg      →  classes [cat, dog], cat = 0, dog = 1
 * </pre>
 * Classes are the sub-folders' names sorted (by {@link String#compareTo}); each class's images are the files
 * under its folder (nested folders included) whose name ends in {@link #EXTENSIONS} (any case), in sorted path
 * order; other files are skipped. Every image is decoded with {@link ImageFiles#read} (memory bounded, a damaged
 * file is an {@link ImageFormatException} naming it), converted to grey (luminance: torchvision's
 * {@code Grayscale()}) and, with {@link Builder#resize}, scaled bilinearly to one size (its {@code Resize}).
 * Without a size, all images must be as large as the first one. Example {@code i} is the transformed image, by
 * default {@link ToTensor} (shape (1, H, W), values in [0, 1]; add {@link Normalize} with {@link Transform#andThen}),
 * and its class index as a 0-D int64 tensor.
 * <pre>{@code
 * ImageFolder train = ImageFolder.builder(Path.of("data/train")).resize(28, 28)
 *         .transform(new ToTensor().andThen(new Normalize(0.5f, 0.5f))).build();
 * }</pre>
 * The images are decoded once, when built, and kept as bytes ({@code H × W} per image).
 */
public final class ImageFolder implements SupervisedDataset {
    /** The file name endings read as images: those of the JDK's ImageIO. */
    public static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff");

    private final Path root;
    private final List<String> classNames;
    private final List<Path> files;
    private final int[] labels;
    private final byte[] pixels;
    private final int rows;
    private final int cols;
    private final Transform<GrayImage, Tensor> transform;
    private final float[] table; // the transform of pixel values 0..255 when pointwise, else null

    private ImageFolder(Path root, List<String> classNames, List<Path> files, int[] labels, byte[] pixels, int rows,
                        int cols, Transform<GrayImage, Tensor> transform) {
        this.root = root;
        this.classNames = List.copyOf(classNames);
        this.files = List.copyOf(files);
        this.labels = labels;
        this.pixels = pixels;
        this.rows = rows;
        this.cols = cols;
        this.transform = transform;
        this.table = transform.pointwise() ? ImageDataset.table(transform) : null;
    }

    /** The images of {@code root}, at the first image's size, through {@link ToTensor}. */
    public static ImageFolder load(Path root) throws IOException {
        return builder(root).build();
    }

    /** Options for the images of {@code root}. */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** Options: a size to resize to (default: the first image's, all alike), a transform (default {@link ToTensor}). */
    public static final class Builder {
        private final Path root;
        private int rows;
        private int cols;
        private Transform<GrayImage, Tensor> transform = new ToTensor();

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root);
        }

        /** Scales every image to {@code rows × cols} (bilinear), as torchvision's {@code Resize((rows, cols))}. */
        public Builder resize(int rows, int cols) {
            if (rows <= 0 || cols <= 0) {
                throw new IllegalArgumentException("resize needs a positive size, got " + rows + "x" + cols);
            }
            this.rows = rows;
            this.cols = cols;
            return this;
        }

        /** The transform from the grey image to the example's input tensor. */
        public Builder transform(Transform<GrayImage, Tensor> transform) {
            this.transform = Objects.requireNonNull(transform);
            return this;
        }

        /**
         * Finds and decodes the images.
         *
         * @throws NoSuchFileException when {@code root} does not exist
         * @throws ImageFormatException when {@code root} has no class folder, a class folder has no image, an image
         *     is damaged, or (without {@link #resize}) an image's size differs from the first one's
         */
        public ImageFolder build() throws IOException {
            String name = root.toString();
            if (!Files.exists(root)) {
                throw new NoSuchFileException(name, null, "no such image folder");
            }
            if (!Files.isDirectory(root)) {
                throw new ImageFormatException(name, "is a file, not a folder of class folders");
            }
            List<Path> classDirs;
            try (Stream<Path> s = Files.list(root)) {
                classDirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                        .sorted().toList();
            }
            if (classDirs.isEmpty()) {
                throw new ImageFormatException(name, "has no class folders: put each class's images in a folder of "
                        + "its own (" + root.resolve("CLASS").resolve("image.png") + ")");
            }
            List<String> classes = classDirs.stream().map(p -> p.getFileName().toString()).toList();
            List<Path> files = new ArrayList<>();
            List<Integer> labelList = new ArrayList<>();
            for (int c = 0; c < classDirs.size(); c++) {
                List<Path> images;
                try (Stream<Path> s = Files.walk(classDirs.get(c))) {
                    images = s.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
                }
                if (images.isEmpty()) {
                    throw new ImageFormatException(classDirs.get(c).toString(), "holds no image for class '"
                            + classes.get(c) + "' (files ending in " + String.join(", ", EXTENSIONS) + ")");
                }
                files.addAll(images);
                for (int k = 0; k < images.size(); k++) {
                    labelList.add(c);
                }
            }
            int h = rows, w = cols;
            byte[] pixels = null;
            Path first = files.getFirst();
            for (int i = 0; i < files.size(); i++) {
                BufferedImage image = ImageFiles.read(files.get(i));
                if (i == 0) {
                    if (h == 0) {
                        h = image.getHeight();
                        w = image.getWidth();
                    }
                    long total = (long) files.size() * h * w;
                    if (total > Integer.MAX_VALUE - 8) {
                        throw new ImageFormatException(name, String.format(Locale.ROOT, "%,d images of %dx%d are "
                                + "%,d pixels, more than one array holds: resize them smaller", files.size(), h, w, total));
                    }
                    pixels = new byte[(int) total];
                } else if (rows == 0 && (image.getHeight() != h || image.getWidth() != w)) {
                    throw new ImageFormatException(files.get(i).toString(), String.format(Locale.ROOT, "is %dx%d "
                            + "(height x width) but the first image, %s, is %dx%d: resize them to one size "
                            + "(ImageFolder.builder(root).resize(H, W))", image.getHeight(), image.getWidth(), first,
                            h, w));
                }
                GrayImage g = ImageFiles.grayscale(image, h, w);
                System.arraycopy(g.pixels(), g.offset(), pixels, i * h * w, h * w);
            }
            int[] labels = labelList.stream().mapToInt(Integer::intValue).toArray();
            return new ImageFolder(root, classes, files, labels, pixels, h, w, transform);
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /** The same images with another transform (the pixels are shared). */
    public ImageFolder withTransform(Transform<GrayImage, Tensor> transform) {
        return new ImageFolder(root, classNames, files, labels, pixels, rows, cols, transform);
    }

    /** The folder the images came from. */
    public Path root() {
        return root;
    }

    /** Class names (the sub-folders' names, sorted), indexed by class. */
    public List<String> classNames() {
        return classNames;
    }

    /** The image files, in example order (class by class, sorted within each). */
    public List<Path> files() {
        return files;
    }

    /** Image height H. */
    public int rows() {
        return rows;
    }

    /** Image width W. */
    public int cols() {
        return cols;
    }

    @Override
    public int size() {
        return labels.length;
    }

    /** Class index of image {@code index}. */
    public int label(int index) {
        return labels[Objects.checkIndex(index, size())];
    }

    /** Image {@code index}, grey, before the transform (a view of the pixels). */
    public GrayImage image(int index) {
        return new GrayImage(pixels, Objects.checkIndex(index, size()) * rows * cols, rows, cols);
    }

    /** The transformed image and its class index (0-D, int64). */
    @Override
    public Example get(int index) {
        return new Example(transform.apply(image(index)), Tensor.ofLongs(new long[] {label(index)}).reshape());
    }

    /** Images at {@code indices} (B, 1, H, W) through the transform, and their classes (B, int64). */
    @Override
    public Batch batch(int[] indices) {
        if (table == null) {
            return Collate.examples(this, indices);
        }
        int hw = rows * cols;
        float[] x = new float[Math.multiplyExact(indices.length, hw)];
        long[] y = new long[indices.length];
        for (int b = 0; b < indices.length; b++) {
            int i = Objects.checkIndex(indices[b], size());
            for (int j = 0; j < hw; j++) {
                x[b * hw + j] = table[pixels[i * hw + j] & 0xFF];
            }
            y[b] = labels[i];
        }
        return new Batch(Tensor.wrap(x, indices.length, 1, rows, cols), Tensor.ofLongs(y, indices.length));
    }

    /** One line saying what was read, for logs. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %,d images %dx%d (grey), %d classes", root, size(), rows, cols,
                classNames.size());
    }

    @Override
    public String toString() {
        return "ImageFolder[" + describe() + ", transform=" + transform + "]";
    }
}
