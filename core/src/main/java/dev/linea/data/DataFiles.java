package dev.linea.data;

import java.nio.file.Path;

/**
 * The four files of an MNIST-style data set, as found by {@link DataLocator}; each may be raw or
 * gzipped.
 *
 * @param directory the directory holding them
 * @param origin why this directory was searched, e.g. {@code LINEA_DATA} or {@code Debian package ...}
 */
record DataFiles(Path directory, String origin, Path trainImages, Path trainLabels, Path testImages,
                        Path testLabels) {

    /** The images file of a split. */
    Path images(Split split) {
        return split == Split.TRAIN ? trainImages : testImages;
    }

    /** The labels file of a split. */
    Path labels(Split split) {
        return split == Split.TRAIN ? trainLabels : testLabels;
    }
}
