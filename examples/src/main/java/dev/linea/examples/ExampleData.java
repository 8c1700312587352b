package dev.linea.examples;

import dev.linea.Tensor;
import dev.linea.data.Batch;
import dev.linea.data.DataLocator;
import dev.linea.data.GrayImage;
import dev.linea.data.ImageDataset;
import dev.linea.data.ImageSet;
import dev.linea.data.ImageSetKind;
import dev.linea.data.Split;
import dev.linea.data.Transform;

import java.io.IOException;
import java.util.Optional;

/**
 * The data choice shared by the examples: {@code fashion-mnist}, {@code mnist}, {@code sample}, or (when not
 * given) the best one installed — full Fashion-MNIST, else MNIST, else the sample (linea-sample-data).
 */
final class ExampleData {
    static final String CHOICES = "fashion-mnist, mnist, sample";

    private ExampleData() {}

    /** The data set named on the command line; {@code null} picks the best one found. */
    static ImageSetKind kind(String name) {
        if (name == null) {
            DataLocator locator = DataLocator.system();
            if (locator.has(ImageSetKind.FASHION_MNIST, Optional.empty())) {
                return ImageSetKind.FASHION_MNIST;
            }
            return locator.has(ImageSetKind.MNIST, Optional.empty())
                    ? ImageSetKind.MNIST : ImageSetKind.FASHION_MNIST_SAMPLE;
        }
        return switch (name) {
            case "fashion-mnist" -> ImageSetKind.FASHION_MNIST;
            case "mnist" -> ImageSetKind.MNIST;
            case "sample" -> ImageSetKind.FASHION_MNIST_SAMPLE;
            default -> throw new IllegalArgumentException("unknown data set '" + name + "'; available: " + CHOICES);
        };
    }

    /** One split of {@code kind}, transformed. */
    static ImageDataset load(ImageSetKind kind, Split split, Transform<GrayImage, Tensor> transform) throws IOException {
        return new ImageDataset(ImageSet.load(kind, split, Optional.empty()), transform);
    }

    /** The first {@code n} images of {@code data} (all when {@code n} is larger) as one batch in memory. */
    static Batch first(ImageDataset data, int n) {
        int[] idx = new int[Math.min(n, data.size())];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return data.batch(idx);
    }

    /** Parses a positive integer option, naming the option and the value when it is not one. */
    static int positive(String option, String value) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + value + "'");
        }
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + n);
        }
        return n;
    }

    /** The value after option {@code args[i]}, or a clear error when it is missing. */
    static String value(String[] args, int i) {
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException(args[i] + " needs a value");
        }
        return args[i + 1];
    }

    /** An example's work; it may fail reading its data. */
    @FunctionalInterface
    interface Body {
        void run() throws IOException;
    }

    /** An example's {@code main}: {@code --help} or {@code -h} prints {@code usage}; I/O errors surface unchecked. */
    static void main(String[] args, String usage, Body body) {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            System.out.println(usage);
            return;
        }
        try {
            body.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e.getMessage(), e);
        }
    }
}
