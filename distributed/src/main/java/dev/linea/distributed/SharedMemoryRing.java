package dev.linea.distributed;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link ProcessGroup}'s collectives through one file that every rank maps into its memory, for ranks that all
 * run on one machine (several executors of a host, or the threads of a test): each rank copies its buffer in, each
 * reduces a share of the elements reading every rank's copy, and each copies the result out. Against the TCP ring
 * over loopback this takes the kernel's socket copies, the sender thread's hand-offs and the wake-ups off the
 * compute cores.
 *
 * <p><b>The same bits as the ring</b>: element {@code i} of the ring's chunk {@code k} is summed left to right from
 * rank {@code k}, {@code ((x_k + x_{k+1}) + …) + x_{k−1}} (ranks mod N), AVG then divides by N; so a group gives the
 * same results over either transport, and every rank gets the same bits.
 *
 * <p><b>Layout</b> (bytes): a header (magic, token) at 0; rank r's control line (arrival generation, collective
 * sequence number, tag, length) at {@code 64·(r+1)}; an abort word after them; then N slots and one result area of
 * {@code piece} floats each, page-aligned. Buffers longer than a piece go through it a piece at a time.
 *
 * <p><b>Synchronisation</b>: a barrier is each rank publishing its generation with a release store and waiting for
 * every other rank's with acquire loads, spinning briefly, then yielding, then parking, so a waiting rank neither
 * sleeps through a short wait nor starves a thread that shares its core. Two barriers a piece: after the copy in
 * (the slots are complete) and after the reduction (the result is complete; the slots may be reused). The owner
 * ({@link ProcessGroup}) watches the TCP connections for a peer that dies and reports it through {@link Failures}.
 */
final class SharedMemoryRing implements AutoCloseable {
    private static final long MAGIC = 0x4C6E44505348_4D31L; // "LnDPSHM1"
    private static final int LINE = 64;
    private static final int TAG_BARRIER = 4;
    /** The shared file's data, over all slots (bytes): the piece is this over N+1, within [64K, 1M] floats (12 MB for 2 ranks). */
    private static final long DATA_BUDGET = 16L << 20;
    private static final int SPINS = 2_000, YIELDS = 20_000;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** Why a wait must end early: a peer seen dead by the owner, or this group closed. */
    interface Failures {
        /** Throws when the group can no longer complete {@code what}; called while waiting. */
        void check(String what) throws IOException;

        /** The exception for rank {@code peer} not arriving within the timeout. */
        IOException hung(int peer, String what);

        /** The exception for rank {@code reporter} having found rank {@code peer} failed (the group is aborted). */
        IOException aborted(int peer, int reporter, String what);

        /** The exception for rank {@code peer} being in another collective. */
        IOException outOfStep(int peer, String what, int seq, int tag, int len, int theirSeq, int theirTag, int theirLen);
    }

    private final int rank;
    private final int worldSize;
    private final int piece;
    private final long timeoutNanos;
    private final Arena arena;
    private final MemorySegment seg;
    private final long abortAt;
    private final long dataAt;
    private long generation;
    private float[] acc = new float[0];

    private SharedMemoryRing(int rank, int worldSize, int piece, long timeoutNanos, Arena arena, MemorySegment seg) {
        this.rank = rank;
        this.worldSize = worldSize;
        this.piece = piece;
        this.timeoutNanos = timeoutNanos;
        this.arena = arena;
        this.seg = seg;
        this.abortAt = (long) LINE * (worldSize + 1);
        this.dataAt = dataOffset(worldSize);
    }

    /** Floats a slot holds for {@code worldSize} ranks. */
    static int pieceFor(int worldSize) {
        return (int) Math.max(64 << 10, Math.min(1 << 20, DATA_BUDGET / 4 / (worldSize + 1)));
    }

    private static long dataOffset(int worldSize) {
        return ((long) LINE * (worldSize + 2) + 4095) / 4096 * 4096;
    }

    /** Bytes of the file for {@code worldSize} ranks. */
    static long fileSize(int worldSize) {
        return dataOffset(worldSize) + 4L * pieceFor(worldSize) * (worldSize + 1);
    }

    /**
     * Creates the file at {@code path} (which must not exist), sized and stamped with {@code token}. Its bytes are
     * written, not just its length set: a tmpfs too small for it (a container's /dev/shm) then fails here with an
     * IOException, and the group uses TCP, instead of a mapped page faulting (SIGBUS) in the middle of training.
     */
    static void create(Path path, int worldSize, long token) throws IOException {
        try (FileChannel ch = FileChannel.open(path, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))); Arena a = Arena.ofConfined()) {
            long size = fileSize(worldSize);
            java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocateDirect(1 << 20);
            for (long at = 0; at < size; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
                at += ch.write(zeros, at);
            }
            MemorySegment s = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, a);
            s.set(ValueLayout.JAVA_LONG, 8, token);
            s.set(ValueLayout.JAVA_LONG, 0, MAGIC);
            s.force();
        }
    }

    /**
     * Maps the file at {@code path} made by {@link #create} with {@code token}; null when it is missing or is not
     * that file (a rank on another machine, or in another container's /dev/shm).
     */
    static SharedMemoryRing open(Path path, int rank, int worldSize, long token, long timeoutNanos) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = fileSize(worldSize);
            if (ch.size() == size) {
                MemorySegment s = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
                if (s.get(ValueLayout.JAVA_LONG, 0) == MAGIC && s.get(ValueLayout.JAVA_LONG, 8) == token) {
                    return new SharedMemoryRing(rank, worldSize, pieceFor(worldSize), timeoutNanos, arena, s);
                }
            }
        } catch (IOException | RuntimeException e) {
            // missing, unreadable or not mappable: not this group's file
        }
        arena.close();
        return null;
    }

    /** The ring allreduce's result (see the class comment), in place. */
    void allReduce(float[] buffer, boolean average, int seq, int tag, String what, Failures failures) throws IOException {
        int len = buffer.length;
        boolean first = true;
        for (int p0 = 0; p0 < len || first; p0 += piece) {
            int plen = Math.min(piece, len - p0);
            MemorySegment.copy(buffer, p0, seg, ValueLayout.JAVA_FLOAT, slot(rank), plen);
            barrier(seq, tag, len, first, what, failures);
            first = false;
            // This rank reduces its share [a, b) of the piece, each element from the rank whose ring chunk holds it.
            int a = p0 + start(rank, plen), b = p0 + start(rank + 1, plen);
            for (int k = a < b ? chunkOf(a, len) : 0; a < b; k++) {
                int end = Math.min(b, start(k + 1, len));
                reduce(k, a - p0, end - a, average);
                a = end;
            }
            barrier(seq, tag, len, false, what, failures);
            MemorySegment.copy(seg, ValueLayout.JAVA_FLOAT, result(), buffer, p0, plen);
        }
    }

    /** Copies rank {@code root}'s buffer into every rank's. */
    void broadcast(float[] buffer, int root, int seq, int tag, String what, Failures failures) throws IOException {
        int len = buffer.length;
        boolean first = true;
        for (int p0 = 0; p0 < len || first; p0 += piece) {
            int plen = Math.min(piece, len - p0);
            if (rank == root) {
                MemorySegment.copy(buffer, p0, seg, ValueLayout.JAVA_FLOAT, result(), plen);
            }
            barrier(seq, tag, len, first, what, failures);
            first = false;
            if (rank != root) {
                MemorySegment.copy(seg, ValueLayout.JAVA_FLOAT, result(), buffer, p0, plen);
            }
            barrier(seq, tag, len, false, what, failures);
        }
    }

    /**
     * Tells every rank that this one gave up because of rank {@code culprit} (a dead, hung or out-of-step peer, or
     * itself): they fail at once, naming it, instead of after the timeout.
     */
    void abort(int culprit) {
        try {
            INT.setVolatile(seg, abortAt, (rank + 1) << 16 | (culprit + 1));
        } catch (IllegalStateException closed) {
            // already unmapped: the peers learn of it through the closed connections
        }
    }

    @Override
    public void close() {
        try {
            arena.close();
        } catch (IllegalStateException alreadyClosed) {
            // closed twice: nothing left to release
        }
    }

    // ---------------------------------------------------------------- internals

    /** Sums element range [off, off+n) of the piece from rank k on, into the result area. */
    private void reduce(int k, int off, int n, boolean average) {
        if (acc.length < n) {
            acc = new float[n];
        }
        MemorySegment.copy(seg, ValueLayout.JAVA_FLOAT, slot(k) + 4L * off, acc, 0, n);
        for (int j = 1; j < worldSize; j++) {
            MemorySegment x = seg.asSlice(slot((k + j) % worldSize) + 4L * off, 4L * n);
            for (int i = 0; i < n; i++) {
                acc[i] = acc[i] + x.getAtIndex(ValueLayout.JAVA_FLOAT, i); // the earlier ranks' sum first, as the ring adds
            }
        }
        if (average) {
            float size = worldSize;
            for (int i = 0; i < n; i++) {
                acc[i] = acc[i] / size;
            }
        }
        MemorySegment.copy(acc, 0, seg, ValueLayout.JAVA_FLOAT, result() + 4L * off, n);
    }

    /**
     * Publishes this rank's arrival and waits for every other rank's; {@code check} (a collective's first barrier)
     * also compares what each rank called. Their lines still describe this collective then: a rank released from
     * this barrier can go no further than the collective's second, which writes the same fields.
     */
    private void barrier(int seq, int tag, int len, boolean check, String what, Failures failures) throws IOException {
        long gen = ++generation;
        long line = (long) LINE * (rank + 1);
        seg.set(ValueLayout.JAVA_INT, line + 8, seq);
        seg.set(ValueLayout.JAVA_INT, line + 12, tag);
        seg.set(ValueLayout.JAVA_INT, line + 16, len);
        LONG.setRelease(seg, line, gen); // after the slot's data and the line's fields
        long deadline = System.nanoTime() + timeoutNanos;
        for (int j = 0; j < worldSize; j++) {
            if (j == rank) {
                continue;
            }
            long theirs = (long) LINE * (j + 1);
            int waits = 0;
            while (true) {
                if ((long) LONG.getAcquire(seg, theirs) >= gen) {
                    break;
                }
                int aborted = (int) INT.getVolatile(seg, abortAt);
                if (aborted != 0) {
                    throw failures.aborted((aborted & 0xFFFF) - 1, (aborted >>> 16) - 1, what);
                }
                waits++;
                if (waits < SPINS) {
                    Thread.onSpinWait();
                    continue;
                }
                failures.check(what);
                if (System.nanoTime() - deadline > 0) {
                    throw failures.hung(j, what);
                }
                if (waits < YIELDS) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(20_000);
                }
            }
            if (check) {
                int s = seg.get(ValueLayout.JAVA_INT, theirs + 8), t = seg.get(ValueLayout.JAVA_INT, theirs + 12),
                        l = seg.get(ValueLayout.JAVA_INT, theirs + 16);
                if (s != seq || t != tag || l != len) {
                    throw failures.outOfStep(j, what, seq, tag, len, s, t, l);
                }
            }
        }
    }

    /**
     * The barrier of {@link ProcessGroup#barrier}. Two rounds, as every collective has: a rank released from the
     * first can already be in the next collective, its line rewritten, while another still checks the lines, so
     * the check is made where no rank can get further than the second round.
     */
    void barrier(int seq, String what, Failures failures) throws IOException {
        barrier(seq, TAG_BARRIER, 0, true, what, failures);
        barrier(seq, TAG_BARRIER, 0, false, what, failures);
    }

    private long slot(int r) {
        return dataAt + 4L * piece * r;
    }

    private long result() {
        return slot(worldSize);
    }

    /** Start of chunk {@code k} of {@code len} floats, as {@link ProcessGroup} cuts them (also a piece into shares). */
    private int start(int k, int len) {
        return ProcessGroup.chunkStart(k, len, worldSize);
    }

    /** The ring chunk holding element {@code i} of {@code len}. */
    private int chunkOf(int i, int len) {
        int k = (int) ((long) i * worldSize / len);
        while (k > 0 && start(k, len) > i) {
            k--;
        }
        while (k + 1 < worldSize && start(k + 1, len) <= i) {
            k++;
        }
        return k;
    }
}
