package dev.linea.data;

import dev.linea.Generator;
import dev.linea.Tensor;

/**
 * Translates images by whole pixels, filling the uncovered border with a constant: a fixed shift (to
 * test how a model copes with moved inputs) or a random one per image (data augmentation). Images are
 * (N, C, H, W) or (N, H, W); the result is a new tensor of the same shape, never recorded by autograd.
 */
public final class Shift {
    private Shift() {}

    /** Every image moved {@code dy} pixels down and {@code dx} right (negative: up, left). */
    public static Tensor shift(Tensor images, int dy, int dx, float fill) {
        int[] s = checkShape(images);
        int n = s[0];
        int[] dys = new int[n], dxs = new int[n];
        java.util.Arrays.fill(dys, dy);
        java.util.Arrays.fill(dxs, dx);
        return apply(images, dys, dxs, fill);
    }

    /**
     * Each image moved by its own offsets drawn uniformly from {@code [-maxShift, maxShift]} in both
     * directions, from {@code gen} (two draws per image, in image order: reproducible from its state).
     */
    public static Tensor random(Tensor images, int maxShift, float fill, Generator gen) {
        if (maxShift < 0) {
            throw new IllegalArgumentException("maxShift must be >= 0, got " + maxShift);
        }
        int n = checkShape(images)[0];
        int[] dys = new int[n], dxs = new int[n];
        for (int i = 0; i < n; i++) {
            dys[i] = gen.nextInt(2 * maxShift + 1) - maxShift;
            dxs[i] = gen.nextInt(2 * maxShift + 1) - maxShift;
        }
        return apply(images, dys, dxs, fill);
    }

    private static int[] checkShape(Tensor images) {
        int[] s = images.shape();
        if (s.length != 3 && s.length != 4) {
            throw new IllegalArgumentException("Shift expects images of shape (N, C, H, W) or (N, H, W), got "
                    + java.util.Arrays.toString(s));
        }
        return s;
    }

    private static Tensor apply(Tensor images, int[] dys, int[] dxs, float fill) {
        int[] s = images.shape();
        int n = s[0], h = s[s.length - 2], w = s[s.length - 1];
        int planes = images.numel() / (n * h * w); // channels per image
        float[] src = images.contiguous().toFloatArray();
        float[] dst = new float[src.length];
        java.util.Arrays.fill(dst, fill);
        for (int i = 0; i < n; i++) {
            int dy = dys[i], dx = dxs[i];
            int x0 = Math.max(0, dx), x1 = Math.min(w, w + dx);
            for (int c = 0; c < planes; c++) {
                int plane = (i * planes + c) * h * w;
                for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
                    if (x1 > x0) {
                        System.arraycopy(src, plane + (y - dy) * w + (x0 - dx), dst, plane + y * w + x0, x1 - x0);
                    }
                }
            }
        }
        return Tensor.wrap(dst, s);
    }
}
