package dev.linea.plot;

import dev.linea.internal.io.AtomicFiles;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.Objects;

import javax.imageio.ImageIO;

/** Writes images as PNG files atomically, so a reader never sees a half-written chart. */
public final class Png {
    private Png() {}

    /**
     * Writes {@code image} to {@code file} as PNG, creating missing parent directories. The bytes go to a
     * temporary file in the same directory first, which is then moved over {@code file} in one step.
     *
     * @throws IOException if the file cannot be written
     */
    public static void write(BufferedImage image, Path file) throws IOException {
        Objects.requireNonNull(image, "image");
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", Channels.newOutputStream(out))) {
                throw new IOException("no PNG writer available in javax.imageio");
            }
        });
    }
}
