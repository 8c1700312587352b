package dev.linea.data;

import static dev.linea.AllocationTesting.allocatedBy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageFilesTest {
    @TempDir
    Path dir;

    private Path repro(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = ImageFilesTest.class.getResourceAsStream("/data/repro/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    /** Reads {@code file}, expecting a refusal; returns its message after checking the memory it took. */
    private static String refusal(Path file, long maxAllocated) {
        ImageFormatException[] e = new ImageFormatException[1];
        long allocated = allocatedBy(() -> e[0] = assertThrows(ImageFormatException.class, () -> ImageFiles.read(file)));
        assertTrue(allocated < maxAllocated, allocated + " bytes allocated to refuse " + file);
        String message = e[0].getMessage();
        assertTrue(message.startsWith(file + ": "), "names the file: " + message);
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    @Test
    void fuzzedPngHeadersDeclaringHundredsOfMegapixelsAreRefusedBeforeDecoding() throws IOException {
        // ImageIO.read allocated the raster first: out of memory, or hundreds of MiB for a 41-byte file.
        Path tall = repro("png-41B-ihdr-28x16777216-oom.png");
        assertEquals(tall + ": the PNG header declares 28 x 16,777,216 = 469,762,048 pixels, more than the"
                + " 67,108,864 (64 Mpixel) Linea reads", refusal(tall, 1 << 20));
        Path wide = repro("png-41B-ihdr-huge-alloc.png");
        assertEquals(wide + ": the PNG header declares 3,014,684 x 28 = 84,411,152 pixels, more than the"
                + " 67,108,864 (64 Mpixel) Linea reads", refusal(wide, 1 << 20));
    }

    @Test
    void aPngDeclaringMorePixelsThanItsBytesCanHoldIsRefusedAsTruncated() throws IOException {
        // The 41-byte repro with its IHDR changed to 4096 x 4096 (16 Mpixel, under the limit) and its CRC fixed.
        byte[] png = Files.readAllBytes(repro("png-41B-ihdr-28x16777216-oom.png"));
        ByteBuffer.wrap(png).putInt(16, 4096).putInt(20, 4096);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        ByteBuffer.wrap(png).putInt(29, (int) crc.getValue());
        Path file = Files.write(dir.resolve("16mpixel.png"), png);
        // Decoding would allocate the 48 MiB RGB raster before finding the data missing.
        assertEquals(file + ": truncated: the PNG header declares 4,096 x 4,096 pixels, at least 2,097,152 bytes"
                + " of pixel data, but 41 bytes of PNG hold at most 42,312 (deflate expands at most 1032-fold)",
                refusal(file, 1 << 20));
    }

    private static BufferedImage noise(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(1);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                img.setRGB(x, y, r.nextInt());
            }
        }
        return img;
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "gif", "bmp"})
    void aTruncatedImageIsRefusedNotPartlyDecoded(String format) throws IOException {
        Path whole = dir.resolve("whole." + format);
        assertTrue(ImageIO.write(noise(64), format, whole.toFile()));
        assertEquals(64, ImageFiles.read(whole).getWidth());
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut." + format), Arrays.copyOf(bytes, bytes.length / 2));
        String message = refusal(cut, 4 << 20);
        assertTrue(message.contains("damaged " + format.toUpperCase()) || message.contains("truncated"), message);
    }

    @Test
    void aJpegWithCorruptDataIsRefusedWithImageIOsWarning() throws IOException {
        // ImageIO.read returns a picture for this file, quietly made up where the data is wrong.
        Path whole = dir.resolve("whole.jpg");
        ImageIO.write(noise(64), "jpeg", whole.toFile());
        byte[] bytes = Files.readAllBytes(whole);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 40; i++) {
            bytes[i] ^= 0x5a;
        }
        Path bad = Files.write(dir.resolve("flipped.jpg"), bytes);
        assertTrue(ImageIO.read(bad.toFile()) != null);
        assertTrue(refusal(bad, 4 << 20).contains(": damaged JPEG image (Corrupt JPEG data"));
    }

    @Test
    void somethingThatIsNotAnImageSaysWhatItIs() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "hello");
        assertEquals(text + ": is not an image Java can read (PNG, JPEG, GIF, BMP)", refusal(text, 1 << 20));
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        assertEquals(empty + ": is empty (0 bytes), not an image", refusal(empty, 1 << 20));
        Path folder = Files.createDirectory(dir.resolve("folder.png"));
        assertEquals(folder + ": is a directory, not an image file", refusal(folder, 1 << 20));
        Path missing = dir.resolve("missing.png");
        assertEquals(missing + ": no such image file",
                assertThrows(NoSuchFileException.class, () -> ImageFiles.read(missing)).getMessage());
    }

    @Test
    void grayscaleKeepsTheLuminanceOfAnImageAlreadyAtTheSize() throws IOException {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] expected = new byte[28 * 28];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) (i * 37);
            img.getRaster().setSample(i % 28, i / 28, 0, Byte.toUnsignedInt(expected[i]));
        }
        Path file = dir.resolve("digit.png");
        ImageIO.write(img, "png", file.toFile());
        GrayImage g = ImageFiles.grayscale(file, 28, 28);
        assertArrayEquals(expected, Arrays.copyOfRange(g.pixels(), g.offset(), g.offset() + 28 * 28));
        assertEquals(255, ImageFiles.grayscale(whitePng(), 28, 28).pixel(27, 27));
    }

    private Path whitePng() throws IOException {
        BufferedImage img = new BufferedImage(100, 60, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 100; x++) {
                img.setRGB(x, y, 0xFFFFFF);
            }
        }
        Path file = dir.resolve("white.png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
