package dev.linea.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngTest {
    @TempDir Path dir;

    @Test
    void writesReadablePngAndLeavesNoTempFile() throws Exception {
        BufferedImage img = Style.image(30, 20);
        img.setRGB(5, 5, 0xFF0000);
        Path file = dir.resolve("sub/dir/x.png");
        Png.write(img, file);
        Png.write(img, file); // overwriting an existing file works too
        BufferedImage back = PlotAssertions.readPng(file, 30, 20);
        assertEquals(0xFF0000, back.getRGB(5, 5) & 0xFFFFFF);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "temporary file left behind");
        }
    }

    @Test
    void textRendersHeadless() {
        // Without any font installed the JDK fails here (fontconfig); Debian's fonts-dejavu-core fixes it.
        assertTrue(Fonts.available(), "no fonts: install fonts-dejavu-core");
        BufferedImage img = Style.image(200, 40);
        Graphics2D g = Style.graphics(img);
        g.setFont(Style.LABEL);
        g.setColor(Color.BLACK);
        g.drawString("Predicted 0123", 5, 25);
        g.dispose();
        assertTrue(PlotAssertions.countInk(img, new Rectangle(0, 0, 200, 40)) > 50, "no text pixels");
    }
}
