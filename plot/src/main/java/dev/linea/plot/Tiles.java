package dev.linea.plot;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/** Builds upscaled tile images pixel by pixel: nearest neighbour without relying on interpolation hints. */
final class Tiles {
    private Tiles() {}

    /** A gray tile from levels in [0, 1], each pixel repeated {@code scale} x {@code scale} times. */
    static BufferedImage gray(float[] levels, int w, int h, int scale) {
        int[] rgb = new int[levels.length];
        for (int i = 0; i < rgb.length; i++) {
            int v = Math.round(levels[i] * 255f);
            rgb[i] = v << 16 | v << 8 | v;
        }
        return upscale(rgb, w, h, scale);
    }

    /** A tile from packed RGB values, each pixel repeated {@code scale} x {@code scale} times. */
    static BufferedImage upscale(int[] rgb, int w, int h, int scale) {
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w * scale];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                Arrays.fill(row, x * scale, (x + 1) * scale, rgb[y * w + x]);
            }
            for (int k = 0; k < scale; k++) {
                img.setRGB(0, y * scale + k, w * scale, 1, row, 0, w * scale);
            }
        }
        return img;
    }
}
