package dev.linea.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixChartTest {
    @TempDir Path dir;

    static final String[] FASHION = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
        "Sneaker", "Bag", "Ankle boot"};

    @Test
    void shadesByRowShareAndWritesContrastingCounts() throws Exception {
        int[][] counts = new int[10][10];
        for (int i = 0; i < 10; i++) {
            counts[i][i] = 900;
            counts[i][(i + 1) % 10] = 100;
        }
        ConfusionMatrixChart chart = new ConfusionMatrixChart(counts, FASHION);
        assertEquals(0.9, chart.accuracy(), 1e-12);
        ConfusionMatrixChart.Layout l = chart.layout();
        Path file = dir.resolve("cm.png");
        chart.write(file);
        BufferedImage img = PlotAssertions.readPng(file, l.width(), l.height());

        Rectangle diag = l.cellBounds(3, 3);
        Color dark = Colormap.BLUES.color(0.9);
        // Corner of a 90% cell: the dark fill; its count is white text on it.
        assertEquals(dark.getRGB() & 0xFFFFFF, img.getRGB(diag.x + 2, diag.y + 2) & 0xFFFFFF);
        assertTrue(PlotAssertions.countNear(img, diag, Color.WHITE, 40) > 5, "no white count text");
        Rectangle light = l.cellBounds(3, 4); // 10% of its row: pale fill, dark text
        assertEquals(Colormap.BLUES.rgb(0.1), img.getRGB(light.x + 2, light.y + 2) & 0xFFFFFF);
        assertTrue(PlotAssertions.countNear(img, light, Style.TEXT, 60) > 5, "no dark count text");
        Rectangle empty = l.cellBounds(3, 7);
        assertEquals(Colormap.BLUES.rgb(0), img.getRGB(empty.x + 2, empty.y + 2) & 0xFFFFFF);
        assertTrue(PlotAssertions.countInk(img, empty) > 5, "zero not written");
    }

    @Test
    void manyClassesAndEmptyRowsRender() {
        int[][] counts = new int[40][40];
        counts[0][0] = 123456;
        BufferedImage img = new ConfusionMatrixChart(counts, null).render();
        assertTrue(img.getWidth() > 100 && img.getHeight() > 100);
        new ConfusionMatrixChart(new int[3][3], null).render(); // all zero: accuracy NaN, no crash
    }

    @Test
    void rejectsBadShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConfusionMatrixChart(new int[3][4], null));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), e.getMessage());
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class,
                () -> new ConfusionMatrixChart(new int[3][3], new String[] {"a", "b"}));
        assertTrue(names.getMessage().contains("3") && names.getMessage().contains("2"), names.getMessage());
    }
}
