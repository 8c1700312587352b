package dev.linea.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    /** A uniformly coloured image of {@code h × w}. */
    private Path image(String path, int h, int w, Color color, String format) throws IOException {
        Path f = root.resolve(path);
        Files.createDirectories(f.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, color.getRGB());
            }
        }
        ImageIO.write(img, format, f.toFile());
        return f;
    }

    @Test
    void classesAreTheSortedSubFoldersAndImagesTheirFilesInSortedOrder() throws IOException {
        image("dog/b.png", 4, 6, Color.WHITE, "png");
        image("dog/a.PNG", 4, 6, Color.WHITE, "png");
        image("cat/nested/x.jpg", 4, 6, Color.BLACK, "jpg");
        Files.writeString(root.resolve("cat/notes.txt"), "not an image");
        ImageFolder f = ImageFolder.load(root);
        assertEquals(List.of("cat", "dog"), f.classNames());
        assertEquals(List.of(root.resolve("cat/nested/x.jpg"), root.resolve("dog/a.PNG"), root.resolve("dog/b.png")), f.files());
        assertEquals(3, f.size());
        assertEquals(4, f.rows());
        assertEquals(6, f.cols());
        Batch b = f.batch(new int[] {0, 2});
        assertArrayEquals(new int[] {2, 1, 4, 6}, b.inputs().shape());
        assertArrayEquals(new float[] {0, 1}, b.targets().toFloatArray());
        float[] x = b.inputs().toFloatArray();
        assertTrue(x[0] < 0.05f && x[24] == 1f, "black cat, white dog: " + x[0] + ", " + x[24]);
        assertEquals(root + ": 3 images 4x6 (grey), 2 classes", f.describe());
    }

    @Test
    void resizeScalesEveryImageAndTheTransformNormalisesThem() throws IOException {
        image("a/1.png", 10, 10, Color.WHITE, "png");
        image("b/2.png", 30, 20, new Color(128, 128, 128), "png");
        ImageFolder f = ImageFolder.builder(root).resize(8, 8)
                .transform(new ToTensor().andThen(new Normalize(0.5f, 0.5f))).build();
        assertEquals(8, f.rows());
        Batch all = f.batch(new int[] {0, 1});
        assertArrayEquals(new int[] {2, 1, 8, 8}, all.inputs().shape());
        assertEquals(1f, all.inputs().toFloatArray()[0], 1e-6);                 // (1 - 0.5) / 0.5
        assertEquals((128 / 255f - 0.5f) / 0.5f, all.inputs().toFloatArray()[64], 1e-6);
        // the per-image path gives the same floats as the batch's table
        assertArrayEquals(f.get(1).input().toFloatArray(),
                java.util.Arrays.copyOfRange(all.inputs().toFloatArray(), 64, 128));
    }

    @Test
    void imagesOfDifferentSizesWithoutResizeAreRefusedNamingBoth() throws IOException {
        Path first = image("a/1.png", 10, 10, Color.WHITE, "png");
        Path other = image("b/2.png", 12, 10, Color.WHITE, "png");
        var e = assertThrows(ImageFormatException.class, () -> ImageFolder.load(root));
        assertEquals(other + ": is 12x10 (height x width) but the first image, " + first + ", is 10x10: resize them to "
                + "one size (ImageFolder.builder(root).resize(H, W))", e.getMessage());
    }

    @Test
    void aFolderWithoutClassesAClassWithoutImagesAndADamagedImageAreRefused() throws IOException {
        assertThrows(NoSuchFileException.class, () -> ImageFolder.load(root.resolve("none")));
        var e = assertThrows(ImageFormatException.class, () -> ImageFolder.load(root));
        assertTrue(e.getMessage().startsWith(root + ": has no class folders"), e.getMessage());
        image("a/1.png", 4, 4, Color.WHITE, "png");
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("b/readme.md"), "x");
        e = assertThrows(ImageFormatException.class, () -> ImageFolder.load(root));
        assertEquals(root.resolve("b") + ": holds no image for class 'b' (files ending in .png, .jpg, .jpeg, .bmp, .gif, "
                + ".tif, .tiff)", e.getMessage());
        Path broken = root.resolve("b/broken.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        e = assertThrows(ImageFormatException.class, () -> ImageFolder.load(root));
        assertTrue(e.getMessage().startsWith(broken + ": "), e.getMessage());
        Path file = root.resolve("a/1.png");
        e = assertThrows(ImageFormatException.class, () -> ImageFolder.load(file));
        assertEquals(file + ": is a file, not a folder of class folders", e.getMessage());
    }
}
