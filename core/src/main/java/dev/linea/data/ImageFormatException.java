package dev.linea.data;

import java.io.IOException;

/**
 * An image file Linea cannot use: not an image, damaged, truncated, or larger than it reads. The message
 * starts with the file's name and states the numbers (declared size, limit, file length).
 */
public final class ImageFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param file the file read; @param problem what is wrong, with the numbers */
    public ImageFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}
