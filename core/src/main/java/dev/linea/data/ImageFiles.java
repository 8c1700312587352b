package dev.linea.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads image files (PNG, JPEG, GIF, BMP and the other formats of the JDK's ImageIO) with memory bounded
 * whatever the file holds. The header is read first: an image of more than {@link #MAX_PIXELS} pixels is
 * refused before its pixels are allocated, and so is a PNG that declares more pixels than its compressed
 * bytes can hold (a 41-byte file declaring 28 × 16,777,216 pixels made {@code ImageIO.read} allocate the
 * whole raster, then run out of memory). A damaged or truncated file, which ImageIO would partly decode or
 * report with a stack trace, is an {@link ImageFormatException} naming the file.
 */
public final class ImageFiles {
    /**
     * Most pixels an image may have: 64 Mpixel (8192 × 8192, beyond any camera's photo), at most 512 MiB
     * decoded (16-bit RGBA).
     */
    public static final long MAX_PIXELS = 1L << 26;

    private ImageFiles() {}

    /**
     * Decodes the first image of {@code file}, as {@link ImageIO#read(java.io.File)} does, after checking
     * its declared size.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws ImageFormatException when it is not a readable image, is damaged, or is too large
     */
    public static BufferedImage read(Path file) throws IOException {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new ImageFormatException(name, "is a directory, not an image file");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(name, null, "no such image file");
        }
        long length = Files.size(file);
        if (length == 0) {
            throw new ImageFormatException(name, "is empty (0 bytes), not an image");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return read(in, name, length);
        }
    }

    /**
     * Decodes the first image held in {@code bytes} (an upload, say) with the same checks as
     * {@link #read(Path)}; {@code name} names it in error messages.
     *
     * @throws ImageFormatException when the bytes are empty, not a readable image, damaged, or too large
     */
    public static BufferedImage read(byte[] bytes, String name) throws IOException {
        if (bytes.length == 0) {
            throw new ImageFormatException(name, "is empty (0 bytes), not an image");
        }
        // In memory: ImageIO.createImageInputStream would cache a stream in a temporary file.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            return read(in, name, bytes.length);
        }
    }

    private static BufferedImage read(ImageInputStream in, String name, long length) throws IOException {
        if (in == null) {
            throw new ImageFormatException(name, "cannot be opened as an image");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new ImageFormatException(name, "is not an image Java can read (PNG, JPEG, GIF, BMP)");
        }
        ImageReader reader = readers.next();
        try {
            return decode(reader, in, name, length);
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage decode(ImageReader reader, ImageInputStream in, String name, long length)
            throws IOException {
        String format = reader.getFormatName().toUpperCase(Locale.ROOT);
        // Metadata ignored, as ImageIO.read does: its text chunks could be decompression bombs of their own.
        reader.setInput(in, true, true);
        int width;
        int height;
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(name, "damaged " + format + " header (" + e.getMessage() + ")");
        }
        long pixels = (long) width * height;
        String declared = String.format(Locale.ROOT, "%s header declares %,d x %,d", format, width, height);
        if (width <= 0 || height <= 0) {
            throw new ImageFormatException(name, "the " + declared + " pixels");
        }
        if (pixels > MAX_PIXELS) {
            throw new ImageFormatException(name, String.format(Locale.ROOT,
                    "the %s = %,d pixels, more than the %,d (64 Mpixel) Linea reads", declared, pixels, MAX_PIXELS));
        }
        // At least one bit per pixel before deflate, which expands at most 1032-fold.
        long minimum = (pixels + 7) / 8;
        if (format.equals("PNG") && minimum > Idx.MAX_DEFLATE_RATIO * length) {
            throw new ImageFormatException(name, String.format(Locale.ROOT,
                    "truncated: the %s pixels, at least %,d bytes of pixel data, but %,d bytes of PNG hold"
                            + " at most %,d (deflate expands at most %d-fold)",
                    declared, minimum, length, Idx.MAX_DEFLATE_RATIO * length, Idx.MAX_DEFLATE_RATIO));
        }
        String[] warning = new String[1];
        reader.addIIOReadWarningListener((IIOReadWarningListener) (source, message) -> {
            if (warning[0] == null) {
                warning[0] = message;
            }
        });
        BufferedImage image;
        try {
            image = reader.read(0, reader.getDefaultReadParam());
        } catch (IIOException e) {
            throw new ImageFormatException(name, "damaged " + format + " image (" + describe(e) + ")");
        } catch (EOFException e) {
            throw new ImageFormatException(name, String.format(Locale.ROOT,
                    "truncated: the %s file (%,d bytes) ends before its %,d x %,d pixels do", format, length, width,
                    height));
        } catch (RuntimeException e) {
            // Some readers fail on bad data with unchecked exceptions (index out of bounds and the like).
            throw new ImageFormatException(name, "damaged " + format + " image (" + e + ")");
        }
        // A warning means part of the picture is made up (a truncated JPEG decodes grey to the end).
        if (warning[0] != null) {
            throw new ImageFormatException(name, "damaged " + format + " image (" + warning[0] + ")");
        }
        return image;
    }

    /** An ImageIO message with its cause, e.g. "Error reading PNG image data: Unexpected end of ZLIB input stream". */
    private static String describe(IIOException e) {
        Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null ? e.getMessage() : e.getMessage() + ": " + cause.getMessage();
    }

    /**
     * The image of {@code file} scaled (bilinearly) to {@code rows × cols} and converted to luminance, the
     * input of a model trained on MNIST-like images.
     *
     * @throws ImageFormatException as {@link #read(Path)}
     */
    public static GrayImage grayscale(Path file, int rows, int cols) throws IOException {
        return grayscale(read(file), rows, cols);
    }

    /**
     * {@code image} scaled (bilinearly) to {@code rows × cols} and converted to luminance, as
     * {@link #grayscale(Path, int, int)} does for a file. Transparent pixels count as black.
     */
    public static GrayImage grayscale(BufferedImage image, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("grayscale size must be positive, got " + rows + " x " + cols);
        }
        BufferedImage small = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, cols, rows, null);
        g.dispose();
        byte[] pixels = new byte[rows * cols];
        small.getRaster().getDataElements(0, 0, cols, rows, pixels);
        return new GrayImage(pixels, 0, rows, cols);
    }
}
