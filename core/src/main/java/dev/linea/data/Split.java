package dev.linea.data;

/** Which part of a data set: the training images or the held-out test images. */
public enum Split {
    /** The training part ({@code train-*} files). */
    TRAIN("train"),
    /** The test part ({@code t10k-*} files, the name MNIST gave its 10,000 test images). */
    TEST("t10k");

    private final String filePrefix;

    Split(String filePrefix) {
        this.filePrefix = filePrefix;
    }

    /** Standard base name of the images file, without {@code .gz}, e.g. {@code train-images-idx3-ubyte}. */
    public String imagesFile() {
        return filePrefix + "-images-idx3-ubyte";
    }

    /** Standard base name of the labels file, without {@code .gz}, e.g. {@code t10k-labels-idx1-ubyte}. */
    public String labelsFile() {
        return filePrefix + "-labels-idx1-ubyte";
    }
}
