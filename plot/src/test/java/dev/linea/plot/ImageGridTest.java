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

class ImageGridTest {
    @TempDir Path dir;

    @Test
    void mistakeTilesHaveRedBorderAndCorrectOnesGreen() throws Exception {
        float[] white = new float[28 * 28];
        java.util.Arrays.fill(white, 1f);
        ImageGrid grid = new ImageGrid(28, 28).title("Examples")
                .add(white, "pred: Coat / true: Shirt", ImageGrid.Mark.MISTAKE)
                .add(new float[28 * 28], "pred: Bag / true: Bag", ImageGrid.Mark.CORRECT);
        ImageGrid.Layout l = grid.layout();
        Path file = dir.resolve("grid.png");
        grid.write(file);
        BufferedImage img = PlotAssertions.readPng(file, l.width(), l.height());

        Rectangle wrong = l.tileBounds(0);
        assertEquals(84, wrong.width);
        assertEquals(Style.MISTAKE.getRGB() & 0xFFFFFF, img.getRGB(wrong.x - 2, wrong.y + 10) & 0xFFFFFF);
        assertEquals(0xFFFFFF, img.getRGB(wrong.x + 40, wrong.y + 40) & 0xFFFFFF, "white image pixel");
        Rectangle right = l.tileBounds(1);
        assertEquals(Style.CORRECT.getRGB() & 0xFFFFFF, img.getRGB(right.x - 2, right.y + 10) & 0xFFFFFF);
        assertEquals(0, img.getRGB(right.x + 40, right.y + 40) & 0xFFFFFF, "black image pixel");
        // Red caption under the mistake.
        Rectangle caption = new Rectangle(wrong.x - 20, wrong.y + wrong.height + 4, wrong.width + 40, 30);
        assertTrue(PlotAssertions.countNear(img, caption, Style.MISTAKE, 60) > 10, "no red caption");
    }

    @Test
    void bytesAndStandardisedFloatsAndNanRender() {
        byte[] b = new byte[4 * 4];
        b[0] = (byte) 255;
        float[] f = new float[16];
        f[3] = 2.8f;
        f[4] = -0.42f;
        f[5] = Float.NaN;
        BufferedImage img = new ImageGrid(4, 4).add(b, null, null).add(f).add(f, "", ImageGrid.Mark.NONE).render();
        assertTrue(img.getWidth() > 0);
        new ImageGrid(28, 28).render(); // empty grid
    }

    @Test
    void wrongPixelCountNamesTheLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageGrid(28, 28).add(new float[780]));
        assertTrue(e.getMessage().contains("780") && e.getMessage().contains("784"), e.getMessage());
    }

    @Test
    void weightTilesUseDivergingColours() throws Exception {
        float[] w = new float[3 * 16];
        for (int i = 0; i < 16; i++) {
            w[i] = 0.5f;        // tile 0: all positive -> red
            w[16 + i] = -0.01f; // tile 1: small but negative -> full blue, scaled per tile
        }                       // tile 2: all zero -> white
        WeightGrid wg = WeightGrid.of(w, 3, 4, 4).title("fc1 weights");
        WeightGrid.Layout l = wg.layout();
        Path file = dir.resolve("w.png");
        wg.write(file);
        BufferedImage img = PlotAssertions.readPng(file, l.width(), l.height());
        Rectangle t0 = l.tileBounds(0);
        Color pos = new Color(img.getRGB(t0.x + 3, t0.y + 3));
        assertTrue(pos.getRed() > 150 && pos.getBlue() < 80, "positive tile not red: " + pos);
        Rectangle t1 = l.tileBounds(1);
        Color neg = new Color(img.getRGB(t1.x + 3, t1.y + 3));
        assertTrue(neg.getBlue() > 150 && neg.getRed() < 80, "negative tile not blue: " + neg);
        Rectangle t2 = l.tileBounds(2);
        Color zero = new Color(img.getRGB(t2.x + 3, t2.y + 3));
        assertTrue(zero.getRed() > 240 && zero.getBlue() > 240, "zero tile not white: " + zero);
    }

    @Test
    void weightGridChecksLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightGrid.of(new float[100], 128, 28, 28));
        assertTrue(e.getMessage().contains("100") && e.getMessage().contains("100352"), e.getMessage());
        assertEquals(new TileLayout(16, 8), WeightGrid.of(new float[128 * 784], 128, 28, 28).layout().grid());
    }
}
