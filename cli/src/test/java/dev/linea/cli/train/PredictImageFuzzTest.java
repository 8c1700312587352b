package dev.linea.cli.train;


import dev.linea.Linea;
import dev.linea.cli.fuzz.Fuzzer;
import dev.linea.io.Checkpoints;
import dev.linea.models.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the image path of {@code linea predict} ({@link RunModel#predictReport}) with PNG files mutated
 * from valid ones, IHDR's width, height, depth and colour type among the fields set to extremes
 * (see {@link Fuzzer} for the failure classes and how to replay one).
 */
class PredictImageFuzzTest {
    @Test
    void predictHoldsAgainstMutatedPngFiles(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        java.nio.file.Files.createDirectories(run);
        TrainSettings s = Training.settings("fcnn", "sample", null, 1, 64, "adam", 1e-3, 0, 7, 1, 0.1f, "none", 0, 0, 0);
        s.save(run);
        Linea.manualSeed(7);
        Checkpoints.saveModel(run.resolve(RunFiles.MODEL), Models.create("fcnn", java.util.Map.of("dropout", 0.1f)));
        RunModel model = RunModel.open(run, false);

        List<byte[]> seeds = new ArrayList<>();
        seeds.add(png(28, 28, BufferedImage.TYPE_BYTE_GRAY));
        seeds.add(png(12, 7, BufferedImage.TYPE_INT_RGB));
        seeds.add(png(5, 3, BufferedImage.TYPE_INT_ARGB));
        seeds.add(png(4, 4, BufferedImage.TYPE_BYTE_BINARY));
        seeds.add(png(6, 2, BufferedImage.TYPE_USHORT_GRAY));
        Fuzzer.Target target = new Fuzzer.Target("png-predict", seeds, new int[] {8, 16, 18, 20, 22, 24, 25, 33},
                (input, file) -> model.predictReport(file, 3),
                t -> t instanceof IOException || t instanceof IllegalArgumentException, true, false);
        Fuzzer.Report r = Fuzzer.run(target, dir.resolve("fuzz"));
        String text = Fuzzer.describe(r);
        System.out.print(text);
        assertTrue(r.failures().isEmpty(), text);
        assertTrue(r.inputs() > 0, "no input was tried");
    }

    /** A PNG of a gradient, so that every seed decodes to something other than a flat image. */
    private static byte[] png(int w, int h, int type) throws IOException {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x + y) * 40 & 0xff) | 0x80000000);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
