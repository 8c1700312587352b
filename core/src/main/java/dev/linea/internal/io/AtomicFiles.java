package dev.linea.internal.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that a crash at any moment leaves either the old or the new file whole: the
 * contents go to a temporary file in the same directory (same file system, so the rename is atomic),
 * are forced to disk, and the temporary file is then renamed over the target.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the file's contents to a channel. */
    @FunctionalInterface
    public interface Writer {
        void write(FileChannel out) throws IOException;
    }

    /** Replaces {@code path} with {@code bytes}, atomically. */
    public static void write(Path path, byte[] bytes) throws IOException {
        write(path, out -> {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                out.write(b);
            }
        });
    }

    /** Replaces {@code path} with what {@code writer} writes, atomically. */
    public static void write(Path path, Writer writer) throws IOException {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: that makes the file owner-only (0600); checkpoints get the umask's
        // permissions like any other file.
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + "-"
                + Thread.currentThread().threadId() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.write(out);
                out.force(true); // the data must be on disk before the rename makes it the file
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Makes the rename itself durable where the platform allows opening a directory (Linux does). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Windows cannot open directories; the rename is still atomic there.
        }
    }
}
