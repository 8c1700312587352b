package dev.linea.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GAN, Dropout and FC-vs-conv examples in their short mode, so they cannot rot, and their option errors. */
class ExamplesTest {

    private static BufferedImage png(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " is not a readable image");
        assertTrue(img.getWidth() > 100 && img.getHeight() > 100, file + ": " + img.getWidth() + "x" + img.getHeight());
        return img;
    }

    @Test
    void ganQuickWritesSampleGridsAndLossChartWithFiniteLosses(@TempDir Path dir) throws IOException {
        String out = StdOut.capture(() -> Gan.main(new String[] {"--quick", "--out", dir.toString()}));
        for (String f : List.of("samples-epoch-01.png", "samples-epoch-02.png", "samples-final.png", "losses.png")) {
            png(dir.resolve(f));
        }
        Matcher row = Pattern.compile("(?m)^\\s+(\\d+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)$").matcher(out);
        int rows = 0;
        while (row.find()) {
            rows++;
            assertEquals(rows, Integer.parseInt(row.group(1)), out);
            double lossD = Double.parseDouble(row.group(2));
            double lossG = Double.parseDouble(row.group(3));
            assertTrue(Double.isFinite(lossD) && lossD > 0, "discriminator loss " + lossD + "\n" + out);
            assertTrue(Double.isFinite(lossG) && lossG > 0, "generator loss " + lossG + "\n" + out);
        }
        assertEquals(2, rows, out);
        assertTrue(out.contains("Fashion-MNIST sample"), out);
    }

    @Test
    void ganIsReproducible(@TempDir Path a, @TempDir Path b) throws IOException {
        Gan.Options o = Gan.Options.parse(new String[] {"--quick", "--epochs", "1"});
        String first = StdOut.capture(() -> run(new Gan.Options(1, o.data(), o.batchSize(), o.seed(), a, true)));
        String second = StdOut.capture(() -> run(new Gan.Options(1, o.data(), o.batchSize(), o.seed(), b, true)));
        assertEquals(losses(first), losses(second));
        assertTrue(java.util.Arrays.equals(java.nio.file.Files.readAllBytes(a.resolve("samples-final.png")),
                java.nio.file.Files.readAllBytes(b.resolve("samples-final.png"))), "same seed, same pictures");
    }

    private static void run(Gan.Options o) {
        try {
            Gan.train(o);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The epoch table's losses columns. */
    private static String losses(String out) {
        return out.lines().filter(l -> l.matches("\\s+\\d+\\s+.*")).map(l -> l.strip().split("\\s+", 4)[1] + " "
                + l.strip().split("\\s+", 4)[2]).toList().toString();
    }

    @Test
    void dropoutQuickPrintsOneRowPerEpochAndWritesTheChart(@TempDir Path dir) throws IOException {
        String out = StdOut.capture(() -> DropoutLesson.main(new String[] {"--quick", "--epochs", "3", "--out", dir.toString()}));
        png(dir.resolve("dropout.png"));
        Matcher row = Pattern.compile("(?m)^\\s+(\\d+)(\\s+\\S+%\\s+\\S+%\\s+-?\\S+){2}$").matcher(out);
        int rows = 0;
        while (row.find()) {
            rows++;
            assertEquals(rows, Integer.parseInt(row.group(1)), out);
        }
        assertEquals(3, rows, out);
        assertTrue(out.contains("without dropout") && out.contains("with dropout (p=0.5)"), out);
        assertTrue(out.contains("300 training images"), out);
    }

    @Test
    void fcVsConvQuickComparesParametersAccuracyAndShiftsAndWritesTheChart(@TempDir Path dir) throws IOException {
        String out = StdOut.capture(() -> FcVsConv.main(new String[] {"--quick", "--out", dir.toString()}));
        png(dir.resolve("fc-vs-conv.png"));
        assertTrue(out.contains("fc1    Linear     100,480"), out);
        assertTrue(out.contains("conv1  Conv2d         320"), out);
        assertTrue(out.matches("(?s).*shift 4px.*FCNN\\s+109,386(\\s+\\S+){6}.*"), out);
        assertTrue(out.matches("(?s).*CNN\\s+225,034(\\s+\\S+){6}.*"), out);
        assertTrue(out.contains("Moving the test images 2 px costs"), out);
    }

    @Test
    void dropoutModelsDifferOnlyInDropout() {
        dev.linea.Linea.manualSeed(3);
        var plain = new DropoutLesson.WideNet(0);
        dev.linea.Linea.manualSeed(3);
        var dropout = new DropoutLesson.WideNet(0.5f);
        assertEquals(plain.parameterCount(), dropout.parameterCount());
        var p = plain.stateDict();
        var d = dropout.stateDict();
        assertEquals(p.keySet(), d.keySet());
        for (String k : p.keySet()) {
            assertTrue(java.util.Arrays.equals(p.get(k).toFloatArray(), d.get(k).toFloatArray()), k);
        }
        assertTrue(dropout.toString().contains("Dropout(p=0.5"), dropout.toString());
    }

    @Test
    void badOptionsNameTheValue() {
        assertEquals("--epochs must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Gan.main(new String[] {"--epochs", "0"})).getMessage());
        assertEquals("unknown data set 'cifar'; available: fashion-mnist, mnist, sample",
                assertThrows(IllegalArgumentException.class, () -> Gan.main(new String[] {"--data", "cifar"})).getMessage());
        assertEquals("--epochs needs a whole number, got 'ten'",
                assertThrows(IllegalArgumentException.class,
                        () -> DropoutLesson.main(new String[] {"--epochs", "ten"})).getMessage());
        assertEquals("unknown data set 'foo'; available: fashion-mnist, mnist, sample",
                assertThrows(IllegalArgumentException.class,
                        () -> DropoutLesson.main(new String[] {"--data", "foo"})).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DropoutLesson.main(new String[] {"--bogus"})).getMessage().startsWith("unknown option '--bogus'"));
        assertEquals("--out needs a value",
                assertThrows(IllegalArgumentException.class, () -> Gan.main(new String[] {"--out"})).getMessage());
    }
}
