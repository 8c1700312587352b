package dev.linea.distributed;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;

/**
 * Decides, once the TCP ring of a {@link ProcessGroup} is connected, whether its ranks share memory: rank 0
 * creates a file in {@code /dev/shm} stamped with a random token and sends its name round the ring; each rank
 * maps it and checks the token (a rank on another machine, or in another container, does not find it); a second
 * round tells every rank the outcome, and rank 0 deletes the file, which stays mapped until each rank unmaps
 * it. Nothing is left in {@code /dev/shm} once setup returns, whatever the outcome. The system property
 * {@code linea.distributed.shmDir} names another folder (a larger tmpfs than a container's 64 MB /dev/shm).
 */
final class SharedMemorySetup {
    /** Where rank 0 creates the file: {@code /dev/shm}, or the folder the system property names (a larger tmpfs). */
    static final String DIR_PROPERTY = "linea.distributed.shmDir";
    private static final int TAG = 0x53484D31; // "SHM1"

    private SharedMemorySetup() {}

    /**
     * The mapped file when every rank mapped it, else null (TCP); with {@code required}, an {@link IOException}
     * naming the first rank that could not instead of null. Every rank of the group calls it at the same point.
     */
    static SharedMemoryRing agree(int rank, int worldSize, boolean required, OutputStream toNext, InputStream fromPrev,
                                  Duration timeout) throws IOException {
        DataOutputStream out = new DataOutputStream(toNext);
        DataInputStream in = new DataInputStream(fromPrev);
        long timeoutNanos = timeout.toNanos();
        if (rank == 0) {
            Path path = null;
            SharedMemoryRing ring = null;
            try {
                long token = new SecureRandom().nextLong();
                Path dir = Path.of(System.getProperty(DIR_PROPERTY, "/dev/shm"));
                String reason = "rank 0 found no writable " + dir;
                if (Files.isDirectory(dir) && Files.isWritable(dir)) {
                    path = dir.resolve("linea-pg-" + UUID.randomUUID());
                    try {
                        SharedMemoryRing.create(path, worldSize, token);
                        ring = SharedMemoryRing.open(path, 0, worldSize, token, timeoutNanos);
                        reason = ring == null ? "rank 0 could not map " + path : "";
                    } catch (IOException | RuntimeException e) {
                        reason = "rank 0 could not create " + path + " (" + e.getMessage() + ")";
                    }
                }
                send(out, path == null ? "" : path.toString(), token, reason);
                Message round = receive(in);             // back from rank N-1: every rank tried
                send(out, "", 0, round.reason);          // the outcome, round the ring
                receive(in);                             // every rank has it
                return outcome(ring, round.reason, required);
            } catch (IOException | RuntimeException e) {
                if (ring != null) {
                    ring.close();
                }
                throw e;
            } finally {
                if (path != null) {
                    Files.deleteIfExists(path);
                }
            }
        }
        Message offer = receive(in);
        SharedMemoryRing ring = null;
        String reason = offer.reason;
        if (reason.isEmpty()) {
            ring = SharedMemoryRing.open(Path.of(offer.path), rank, worldSize, offer.token, timeoutNanos);
            if (ring == null) {
                reason = "rank " + rank + " could not map " + offer.path + " (not on rank 0's machine, or another /dev/shm)";
            }
        }
        try {
            send(out, offer.path, offer.token, reason);
            Message result = receive(in);
            send(out, "", 0, result.reason);
            return outcome(ring, result.reason, required);
        } catch (IOException | RuntimeException e) {
            if (ring != null) {
                ring.close();
            }
            throw e;
        }
    }

    private static SharedMemoryRing outcome(SharedMemoryRing ring, String reason, boolean required) throws IOException {
        if (reason.isEmpty()) {
            return ring;
        }
        if (ring != null) {
            ring.close();
        }
        if (required) {
            throw new IOException("the shared-memory transport was asked for, but " + reason
                    + "; use Transport.AUTO to fall back to TCP");
        }
        return null;
    }

    /** A setup message: the file, its token, and why shared memory cannot be used ("" while it can). */
    private record Message(String path, long token, String reason) {}

    private static void send(DataOutputStream out, String path, long token, String reason) throws IOException {
        out.writeInt(TAG);
        out.writeUTF(path);
        out.writeLong(token);
        out.writeUTF(reason);
        out.flush();
    }

    private static Message receive(DataInputStream in) throws IOException {
        int tag = in.readInt();
        if (tag != TAG) {
            throw new IOException("expected the shared-memory setup message from the previous rank, got tag 0x"
                    + Integer.toHexString(tag) + ": every rank must run the same Linea version");
        }
        return new Message(in.readUTF(), in.readLong(), in.readUTF());
    }
}
