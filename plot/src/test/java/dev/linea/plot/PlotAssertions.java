package dev.linea.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Helpers shared by the chart tests: PNG validity and pixel colour checks. */
final class PlotAssertions {
    private PlotAssertions() {}

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** Asserts {@code file} is a PNG that ImageIO reads back at the expected size, and returns it. */
    static BufferedImage readPng(Path file, int width, int height) throws IOException {
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), 8);
        assertArrayEquals(PNG_SIGNATURE, head, "PNG signature");
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, "ImageIO could not read " + file);
        assertEquals(width, img.getWidth(), "width");
        assertEquals(height, img.getHeight(), "height");
        return img;
    }

    /** Pixels in {@code r} whose colour is within {@code tol} per channel of {@code c}. */
    static int countNear(BufferedImage img, Rectangle r, Color c, int tol) {
        int n = 0;
        for (int y = Math.max(0, r.y); y < Math.min(img.getHeight(), r.y + r.height); y++) {
            for (int x = Math.max(0, r.x); x < Math.min(img.getWidth(), r.x + r.width); x++) {
                Color p = new Color(img.getRGB(x, y));
                if (Math.abs(p.getRed() - c.getRed()) <= tol && Math.abs(p.getGreen() - c.getGreen()) <= tol
                        && Math.abs(p.getBlue() - c.getBlue()) <= tol) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Pixels in {@code r} that are not (nearly) white: evidence something was drawn there. */
    static int countInk(BufferedImage img, Rectangle r) {
        int all = Math.max(0, Math.min(img.getWidth(), r.x + r.width) - Math.max(0, r.x))
                * Math.max(0, Math.min(img.getHeight(), r.y + r.height) - Math.max(0, r.y));
        return all - countNear(img, r, Color.WHITE, 10);
    }

    static Rectangle whole(BufferedImage img) {
        return new Rectangle(0, 0, img.getWidth(), img.getHeight());
    }
}
