package dev.linea.data;

import dev.linea.internal.io.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files, the format of MNIST and Fashion-MNIST: a 4-byte magic number
 * ({@code 0x00 0x00 type ndims}), {@code ndims} big-endian 32-bit dimensions, then the data in
 * row-major order. Only element type {@code 0x08} (unsigned byte) is supported, which is what the
 * image data sets use.
 *
 * <p>Files may be raw or gzipped; gzip is detected by its magic bytes {@code 1f 8b}, never by the
 * file name, because downloads are often renamed or transparently decompressed. Reading validates
 * everything and fails with an {@link IdxFormatException} that names the file and the numbers.
 */
public final class Idx {
    /** The IDX element type code for unsigned bytes, the only one supported. */
    public static final int UNSIGNED_BYTE = 0x08;

    /** Largest number of bytes a Java array can hold on common JVMs. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private static final int BUFFER = 1 << 16;

    /**
     * Deflate's largest expansion: one byte of compressed data yields at most 1032 bytes (a 258-byte match
     * in two 1-bit codes). Data declared beyond that for a gzip file (or a PNG) of known length cannot all be
     * there.
     */
    static final long MAX_DEFLATE_RATIO = 1032;

    /** First allocation when the data's size cannot be checked against a length: then it doubles. */
    private static final int FIRST_CHUNK = 1 << 20;

    private Idx() {
    }

    /**
     * Reads an IDX file, raw or gzipped.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws IdxFormatException when the content is not a valid unsigned-byte IDX file
     */
    public static IdxData read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString(), Files.size(path));
        }
    }

    /**
     * Reads an IDX stream, raw or gzipped, for example a class-path resource. The stream is read to
     * its end (to detect trailing bytes) but not closed. Its length being unknown, the data array grows
     * by doubling as the bytes arrive (prefer {@link #read(Path)} for files: it allocates the data once).
     *
     * @param nameForErrors what error messages call the stream, e.g. the resource name
     */
    public static IdxData read(InputStream in, String nameForErrors) throws IOException {
        return read(in, nameForErrors, -1);
    }

    /**
     * Reads a stream of known length (a file, a class-path resource), raw or gzipped: the length bounds
     * what the header may declare before anything is allocated, and the data is read into one array of
     * its exact size.
     *
     * @param fileLength the stream's length in bytes (compressed, for gzip), or -1 when unknown
     */
    static IdxData read(InputStream in, String name, long fileLength) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        if (!gzip) {
            return readRaw(buffered, name, fileLength, -1, "");
        }
        // The gzip stream must not close the caller's stream, hence no try-with-resources here.
        try {
            return readRaw(new GZIPInputStream(buffered, BUFFER), name, -1, fileLength, " after gunzip");
        } catch (ZipException | EOFException e) {
            throw new IdxFormatException(name, "corrupt or truncated gzip data (" + e.getMessage() + ")");
        }
    }

    /**
     * @param fileLength the raw length when known (checked before allocating), else -1
     * @param gzipLength the compressed length of a gzip stream when known, else -1
     */
    private static IdxData readRaw(InputStream in, String name, long fileLength, long gzipLength, String where)
            throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new IdxFormatException(name, "only " + magic.length + " bytes" + where
                    + ", too short for the 4-byte IDX magic number");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(name, String.format(
                    "bad magic number 0x%02X%02X%02X%02X%s: IDX files start with 0x00 0x00, then the type"
                            + " and the dimension count (e.g. 0x00000803 for images, 0x00000801 for labels)",
                    magic[0], magic[1], magic[2], magic[3], where));
        }
        int type = Byte.toUnsignedInt(magic[2]);
        if (type != UNSIGNED_BYTE) {
            throw new IdxFormatException(name, String.format(
                    "element type 0x%02X (%s) is not supported; only 0x08 (unsigned byte) is", type, typeName(type)));
        }
        int ndims = Byte.toUnsignedInt(magic[3]);
        if (ndims == 0) {
            throw new IdxFormatException(name, "dimension count is 0; an IDX file needs at least 1 dimension");
        }
        byte[] header = in.readNBytes(4 * ndims);
        if (header.length < 4 * ndims) {
            throw new IdxFormatException(name, "header truncated: " + ndims + " dimensions need " + 4 * ndims
                    + " bytes after the magic number, only " + header.length + " present" + where);
        }
        int[] dims = new int[ndims];
        for (int i = 0; i < ndims; i++) {
            long d = ((header[4 * i] & 0xFFL) << 24) | ((header[4 * i + 1] & 0xFF) << 16)
                    | ((header[4 * i + 2] & 0xFF) << 8) | (header[4 * i + 3] & 0xFF);
            if (d == 0 || d > Integer.MAX_VALUE) {
                throw new IdxFormatException(name, "dimension " + (i + 1) + " of " + ndims + " is " + d
                        + "; every dimension must be between 1 and " + Integer.MAX_VALUE);
            }
            dims[i] = (int) d;
        }
        long size = product(dims);
        if (size < 0) {
            throw new IdxFormatException(name, "dims " + IdxData.shape(dims) + " declare more than " + MAX_BYTES
                    + " data bytes, more than one Java array holds");
        }
        String declared = "dims " + IdxData.shape(dims) + " declare " + size + " data bytes";
        long headerBytes = 4 + 4L * ndims;
        // For a raw file the length is known: check it before allocating a possibly huge array.
        if (fileLength >= 0 && fileLength != headerBytes + size) {
            long diff = fileLength - headerBytes - size;
            throw new IdxFormatException(name, (diff < 0 ? "truncated: " : "trailing bytes: ") + declared
                    + ", so the file should be " + headerBytes + " + " + size + " = " + (headerBytes + size)
                    + " bytes, but it is " + fileLength + " (" + (diff < 0 ? "missing " + -diff : diff + " extra")
                    + ")");
        }
        if (gzipLength >= 0 && size + headerBytes > MAX_DEFLATE_RATIO * gzipLength) {
            throw new IdxFormatException(name, "truncated: " + declared + ", but " + gzipLength
                    + " bytes of gzip expand to at most " + MAX_DEFLATE_RATIO + " x " + gzipLength + " = "
                    + MAX_DEFLATE_RATIO * gzipLength + " bytes");
        }
        boolean bounded = fileLength >= 0 || gzipLength >= 0;
        byte[] data = new byte[(int) (bounded ? size : Math.min(size, FIRST_CHUNK))];
        int got = in.readNBytes(data, 0, data.length);
        // Unknown length: double up to the declared size, so a short stream declaring gigabytes costs what it has.
        while (got == data.length && data.length < size) {
            data = Arrays.copyOf(data, (int) Math.min(size, 2L * data.length));
            got += in.readNBytes(data, got, data.length - got);
        }
        if (got < size) {
            throw new IdxFormatException(name, "truncated: " + declared + ", only " + got
                    + " present" + where + " (missing " + (size - got) + ")");
        }
        long trailing = in.transferTo(OutputStream.nullOutputStream());
        if (trailing > 0) {
            throw new IdxFormatException(name, "trailing bytes: " + declared + ", but " + trailing
                    + " more bytes follow" + where + " (" + (size + trailing) + " data bytes in all)");
        }
        return new IdxData(dims, data);
    }

    /** The product of the dimensions, checked to be positive and to fit in one byte array. */
    static long checkedProduct(int[] dims, String name) {
        if (dims.length == 0) {
            throw new IllegalArgumentException(name + ": an IDX file needs at least 1 dimension");
        }
        if (dims.length > 255) {
            throw new IllegalArgumentException(name + ": IDX allows at most 255 dimensions, got " + dims.length);
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new IllegalArgumentException(name + ": dimension " + (i + 1) + " of " + dims.length
                        + " is " + dims[i] + "; every dimension must be positive");
            }
        }
        long size = product(dims);
        if (size < 0) {
            throw new IllegalArgumentException(name + ": dims " + IdxData.shape(dims) + " exceed "
                    + MAX_BYTES + " bytes, more than one Java array holds");
        }
        return size;
    }

    /** The product of positive dimensions, or -1 when it exceeds {@link #MAX_BYTES}. */
    private static long product(int[] dims) {
        long size = 1;
        for (int d : dims) {
            size *= d;
            if (size > MAX_BYTES) {
                return -1;
            }
        }
        return size;
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "unknown type";
        };
    }

    /**
     * Writes an unsigned-byte IDX file atomically: the bytes go to a temporary file in the same
     * directory, which is then renamed over {@code path}, so readers never see a half-written file.
     * Parent directories are created. Gzip output uses the best compression and a zero timestamp,
     * so the same data always gives the same bytes.
     *
     * @throws IllegalArgumentException when a dimension is not positive or {@code data.length} is not
     *     their product
     */
    public static void write(Path path, int[] dims, byte[] data, boolean gzip) throws IOException {
        write(path, new IdxData(dims.clone(), data), gzip);
    }

    /** Writes {@code idx} atomically, as {@link #write(Path, int[], byte[], boolean)}. */
    public static void write(Path path, IdxData idx, boolean gzip) throws IOException {
        AtomicFiles.write(path, channel -> {
            OutputStream file = java.nio.channels.Channels.newOutputStream(channel);
            OutputStream out = gzip ? new BestGzip(file) : new BufferedOutputStream(file, BUFFER);
            int[] dims = idx.dims();
            out.write(new byte[] {0, 0, UNSIGNED_BYTE, (byte) dims.length});
            for (int d : dims) {
                out.write(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
            }
            out.write(idx.data());
            // Finish (gzip trailer) and flush without closing the channel, which AtomicFiles forces and closes.
            if (out instanceof GZIPOutputStream g) {
                g.finish();
            }
            out.flush();
        });
    }

    /** Gzip at the best compression level: data files are written once and read many times. */
    private static final class BestGzip extends GZIPOutputStream {
        BestGzip(OutputStream out) throws IOException {
            super(out, BUFFER);
            def.setLevel(Deflater.BEST_COMPRESSION);
        }
    }
}
