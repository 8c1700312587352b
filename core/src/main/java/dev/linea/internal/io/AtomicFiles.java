package dev.linea.internal.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Replaces a file so that a crash at any moment leaves either the old or the new file whole: the
 * contents go to a temporary file in the same directory (same file system, so the rename is atomic),
 * are forced to disk, and the temporary file is then renamed over the target.
 */
public final class AtomicFiles {
    /** The names of the temporary files {@link #write} makes: {@code .<target>.<hex nanos>-<thread id>.tmp}. */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-f]+-[0-9]+\\.tmp");

    /**
     * Fault injection for the kill tests, off unless the system property is set: {@code NAME:K:STAGE} halts
     * the JVM (as {@code kill -9} would: no finally blocks, no shutdown hooks) during the K-th write of a file
     * named NAME, at STAGE {@code written} (the temporary file complete and on disk, the target still old) or
     * {@code renamed} (the target replaced, the next write not begun).
     */
    private static final String HALT_AT = System.getProperty("linea.test.haltAtWrite");
    private static final Map<String, Integer> WRITES = new ConcurrentHashMap<>();

    private AtomicFiles() {}

    /**
     * Deletes the temporary files a killed {@link #write} left in {@code dir} (not in its subfolders), and
     * only those: names of the form {@code .<target>.<hex>-<thread>.tmp}. Call it before writing into the
     * folder again, when no other process writes there.
     *
     * @return the names deleted, sorted; empty when there were none (or no such folder)
     */
    public static List<String> deleteLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> deleted = new ArrayList<>();
        try (var files = Files.newDirectoryStream(dir, p -> TEMPORARY.matcher(p.getFileName().toString()).matches()
                && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))) {
            for (Path p : files) {
                Files.deleteIfExists(p);
                deleted.add(p.getFileName().toString());
            }
        }
        Collections.sort(deleted);
        return deleted;
    }

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
                + Thread.currentThread().threadId() + ".tmp"); // the form deleteLeftovers recognises
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.write(out);
                out.force(true); // the data must be on disk before the rename makes it the file
            }
            int nth = HALT_AT == null ? 0 : WRITES.merge(target.getFileName().toString(), 1, Integer::sum);
            haltIfAsked(target, nth, "written");
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
            }
            syncDirectory(dir);
            haltIfAsked(target, nth, "renamed");
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void haltIfAsked(Path target, int nth, String stage) {
        if (HALT_AT != null && HALT_AT.equals(target.getFileName() + ":" + nth + ":" + stage)) {
            System.err.println("linea.test.haltAtWrite: halting at " + HALT_AT);
            Runtime.getRuntime().halt(137);
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
