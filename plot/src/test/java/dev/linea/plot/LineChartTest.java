package dev.linea.plot;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {
    @TempDir Path dir;

    private static Rectangle plotArea(LineChart c, int w, int h) {
        Graphics2D g = Style.graphics(Style.image(w, h));
        Rectangle r = c.plotArea(g, new Rectangle(0, 0, w, h));
        g.dispose();
        return r;
    }

    @Test
    void writesPngOfRequestedSizeWithSeriesColours() throws Exception {
        LineChart c = new LineChart("Loss", "epoch", "loss")
                .add("train", new double[] {2.3, 1.1, 0.7, 0.5, 0.4})
                .add("test", new double[] {2.2, 1.3, 0.9, 0.8, 0.8});
        Path file = dir.resolve("loss.png");
        c.write(file, 640, 420);
        BufferedImage img = PlotAssertions.readPng(file, 640, 420);
        Rectangle plot = plotArea(c, 640, 420);
        assertTrue(PlotAssertions.countNear(img, plot, Style.PALETTE[0], 30) > 100, "first series missing");
        assertTrue(PlotAssertions.countNear(img, plot, Style.PALETTE[1], 30) > 100, "second series missing");
        // Title text is drawn above the plot area.
        assertTrue(PlotAssertions.countInk(img, new Rectangle(0, 0, 640, plot.y - 2)) > 50, "no title");
    }

    @Test
    void nanValuesAreSkipped() {
        double[] y = {1, Double.NaN, 0.5, Double.POSITIVE_INFINITY, 0.2};
        BufferedImage img = new LineChart("t", "x", "y").add("s", y).render(400, 300);
        assertTrue(PlotAssertions.countNear(img, PlotAssertions.whole(img), Style.PALETTE[0], 30) > 20);
    }

    @Test
    void allNanEmptyAndSinglePointDoNotCrash() {
        new LineChart("t", "x", "y").add("s", new double[] {Double.NaN, Double.NaN}).render(300, 200);
        new LineChart("", "", "").render(300, 200);
        new LineChart("t", "x", "y").add("s", new double[0]).render(300, 200);
        BufferedImage one = new LineChart("one", "epoch", "loss").add("s", new double[] {0.7}).render(300, 200);
        Rectangle plot = plotArea(new LineChart("one", "epoch", "loss").add("s", new double[] {0.7}), 300, 200);
        // A lone point has no line, so it must be drawn as a marker.
        assertTrue(PlotAssertions.countNear(one, plot, Style.PALETTE[0], 30) > 10, "single point not drawn");
    }

    @Test
    void constantSeriesIsDrawnInsideThePlot() {
        LineChart c = new LineChart("flat", "epoch", "acc").add("s", new double[] {0.9, 0.9, 0.9, 0.9});
        BufferedImage img = c.render(400, 300);
        assertTrue(PlotAssertions.countNear(img, plotArea(c, 400, 300), Style.PALETTE[0], 30) > 100);
    }

    @Test
    void mismatchedLengthsNameBothLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LineChart("t", "x", "y").add("train", new double[3], new double[4]));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), e.getMessage());
    }

    @Test
    void trainingCurvesWriteTwoPanels() throws Exception {
        Path file = dir.resolve("curves.png");
        TrainingCurves.write(file, new double[] {1, 0.5, 0.3}, new double[] {1.1, 0.6, 0.45},
                new double[] {0.7, 0.85, 0.9}, null);
        BufferedImage img = PlotAssertions.readPng(file, 2 * TrainingCurves.PANEL_WIDTH, TrainingCurves.HEIGHT);
        Rectangle right = new Rectangle(TrainingCurves.PANEL_WIDTH, 0, TrainingCurves.PANEL_WIDTH,
                TrainingCurves.HEIGHT);
        assertTrue(PlotAssertions.countNear(img, right, Style.PALETTE[0], 30) > 50, "accuracy panel empty");
    }
}
