package dev.linea.distributed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An address exchange for ranks that are threads of one JVM (tests, single-machine runs): one shared
 * object on which each rank posts its address and waits for the others. Use one instance per group.
 */
public final class LoopbackRendezvous implements AddressExchange {
    private final InetSocketAddress[] posted;
    private int arrived;

    /** A rendezvous for {@code worldSize} ranks. */
    public LoopbackRendezvous(int worldSize) {
        if (worldSize < 1) {
            throw new IllegalArgumentException("world size must be at least 1, got " + worldSize);
        }
        posted = new InetSocketAddress[worldSize];
    }

    @Override
    public synchronized List<InetSocketAddress> exchange(int rank, int worldSize, InetSocketAddress mine,
                                                         Duration timeout) throws IOException {
        if (worldSize != posted.length) {
            throw new IllegalArgumentException("world size " + worldSize + " but the rendezvous is for "
                    + posted.length);
        }
        if (posted[rank] != null) {
            throw new IllegalStateException("rank " + rank + " joined the rendezvous twice");
        }
        posted[rank] = mine;
        arrived++;
        notifyAll();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (arrived < posted.length) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("rendezvous timed out after " + timeout.toMillis() + " ms: ranks "
                            + missing() + " of " + posted.length + " did not arrive");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for ranks " + missing(), e);
        }
        return Arrays.asList(posted.clone());
    }

    private List<Integer> missing() {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int r = 0; r < posted.length; r++) {
            if (posted[r] == null) {
                out.add(r);
            }
        }
        return out;
    }
}
