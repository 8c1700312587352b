package dev.linea.cli.train;

import dev.linea.Tensor;
import dev.linea.data.ImageSet;

import java.util.List;

/**
 * A labelled image set prepared for training: pixels scaled to [0, 1] and normalised with the set's
 * mean and standard deviation, served as batches (N, 1, H, W) with labels (N).
 */
record ImageData(ImageSet set, float mean, float std) {

    int count() {
        return set.count();
    }

    List<String> classNames() {
        return set.classNames();
    }

    /** Images {@code order[start..start+size)} (or {@code start..} when order is null) as {x, y}. */
    Tensor[] batch(int start, int size, int[] order) {
        int h = set.rows(), w = set.cols(), px = h * w;
        byte[] pixels = set.pixels();
        float[] x = new float[size * px];
        float[] y = new float[size];
        float scale = 1f / (255f * std), shift = mean / std;
        for (int i = 0; i < size; i++) {
            int idx = order == null ? start + i : order[start + i];
            int src = idx * px, dst = i * px;
            for (int j = 0; j < px; j++) {
                x[dst + j] = (pixels[src + j] & 0xFF) * scale - shift;
            }
            y[i] = set.label(idx);
        }
        return new Tensor[] {Tensor.wrap(x, size, 1, h, w), Tensor.wrap(y, size)};
    }

    /** Undoes the normalisation of one image row, back to [0, 1] (for pictures). */
    float[] pixels01(int index) {
        int px = set.rows() * set.cols();
        float[] out = new float[px];
        for (int j = 0; j < px; j++) {
            out[j] = (set.pixels()[index * px + j] & 0xFF) / 255f;
        }
        return out;
    }
}
