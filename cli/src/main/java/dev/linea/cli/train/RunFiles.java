package dev.linea.cli.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The files of a run folder, all written atomically (temporary file, fsync, rename) so that killing the
 * process at any moment leaves every file either old or new, never torn.
 */
final class RunFiles {
    static final String MODEL = "model.safetensors";
    static final String BEST = "best.safetensors";
    static final String STATE = "training-state.safetensors";
    static final String METRICS = "metrics.csv";
    static final String CURVES = "curves.png";
    static final String CONFUSION = "confusion.png";
    static final String WEIGHTS = "fc1-weights.png";
    static final String PREDICTIONS = "predictions.png";

    private RunFiles() {}

    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
