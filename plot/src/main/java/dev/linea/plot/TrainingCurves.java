package dev.linea.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The figure {@code linea train} writes: loss per epoch on the left, accuracy per epoch on the right, train
 * and test as separate lines. Any array may be {@code null} (or empty) when that curve was not measured.
 */
public final class TrainingCurves {
    /** Default size of each of the two panels, in pixels. */
    public static final int PANEL_WIDTH = 560;
    /** Default height of the figure, in pixels. */
    public static final int HEIGHT = 400;

    private TrainingCurves() {}

    /** The loss panel alone: train and test loss against epoch 1..n. */
    public static LineChart lossChart(double[] trainLoss, double[] testLoss) {
        LineChart c = new LineChart("Loss", "epoch", "loss");
        addIfPresent(c, "train", trainLoss);
        addIfPresent(c, "test", testLoss);
        return c;
    }

    /**
     * The accuracy panel alone. Accuracies are plotted as given, fractions or percent alike.
     */
    public static LineChart accuracyChart(double[] trainAccuracy, double[] testAccuracy) {
        LineChart c = new LineChart("Accuracy", "epoch", "accuracy");
        addIfPresent(c, "train", trainAccuracy);
        addIfPresent(c, "test", testAccuracy);
        return c;
    }

    /** Both panels side by side, at the default size. */
    public static BufferedImage render(double[] trainLoss, double[] testLoss, double[] trainAccuracy,
            double[] testAccuracy) {
        return LineChart.renderRow(PANEL_WIDTH, HEIGHT, lossChart(trainLoss, testLoss),
                accuracyChart(trainAccuracy, testAccuracy));
    }

    /** Both panels side by side, written as one PNG (e.g. {@code curves.png}). */
    public static void write(Path file, double[] trainLoss, double[] testLoss, double[] trainAccuracy,
            double[] testAccuracy) throws IOException {
        Png.write(render(trainLoss, testLoss, trainAccuracy, testAccuracy), file);
    }

    private static void addIfPresent(LineChart c, String name, double[] y) {
        if (y != null && y.length > 0) {
            c.add(name, y);
        }
    }
}
