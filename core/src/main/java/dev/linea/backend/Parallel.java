package dev.linea.backend;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Linea's own worker pool. Work is split into chunks whose boundaries depend only on the problem size
 * and a grain, never on the thread count, so every chunk computes the same thing whoever runs it; that
 * keeps results bitwise identical for any {@link #setNumThreads thread count}. Workers are daemon
 * threads that spin briefly, then yield, then park, so nothing keeps the JVM alive.
 */
public final class Parallel {

    /** A body over the half-open range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static volatile int numThreads = Runtime.getRuntime().availableProcessors();
    private static Worker[] workers = new Worker[0];
    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> false);

    private Parallel() {}

    /** Sets how many threads kernels may use (the caller counts as one). */
    public static synchronized void setNumThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("number of threads must be at least 1, got " + n);
        }
        numThreads = n;
    }

    /** The number of threads kernels may use. */
    public static int numThreads() {
        return numThreads;
    }

    /**
     * How many threads a {@link #forRange} started from the calling thread can use: 1 inside a worker
     * (nested calls run serially), else {@link #numThreads()}. For splitting work where the split does not
     * change the numbers, only how often shared inputs are re-read or re-packed.
     */
    public static int availableThreads() {
        return IN_WORKER.get() ? 1 : numThreads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks of {@code grain} elements (the last may be shorter).
     * Chunks are handed out to up to {@link #numThreads()} threads; a call from inside a worker runs
     * serially, so nesting is safe.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        if (grain < 1) {
            grain = 1;
        }
        int chunks = (n + grain - 1) / grain;
        int threads = Math.min(numThreads, chunks);
        if (threads <= 1 || IN_WORKER.get()) {
            body.run(0, n);
            return;
        }
        runChunks(threads, chunks, grain, n, body);
    }

    /**
     * Hands the chunks out through a shared counter; the caller drains them too and returns once every chunk
     * is done, not once every helper has run: a helper that the OS schedules late (a busy machine) finds
     * nothing left and costs the caller nothing.
     */
    private static void runChunks(int threads, int chunks, int grain, int n, RangeBody body) {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable drain = () -> {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                try {
                    int from = c * grain;
                    body.run(from, Math.min(n, from + grain));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.incrementAndGet();
                }
            }
        };
        Worker[] pool = ensureWorkers(threads - 1);
        for (int i = 0; i < threads - 1; i++) {
            pool[i].submit(drain);
        }
        IN_WORKER.set(true);
        try {
            drain.run();
        } finally {
            IN_WORKER.set(false);
        }
        // Spin briefly, then yield: on a busy machine the helper we wait for may need this very core.
        int spins = 0;
        while (done.get() < chunks) {
            spins++;
            if (spins < 2_000) {
                Thread.onSpinWait();
            } else if (spins < 20_000) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        } else if (t instanceof Error e) {
            throw e;
        } else if (t != null) {
            throw new RuntimeException(t);
        }
    }

    private static synchronized Worker[] ensureWorkers(int count) {
        if (workers.length < count) {
            Worker[] grown = java.util.Arrays.copyOf(workers, count);
            for (int i = workers.length; i < count; i++) {
                grown[i] = new Worker("linea-worker-" + i);
            }
            workers = grown;
        }
        return workers;
    }

    /** A daemon thread that runs one task at a time, spinning briefly before it parks. */
    private static final class Worker extends Thread {
        private final AtomicReference<Runnable> task = new AtomicReference<>();

        Worker(String name) {
            super(name);
            setDaemon(true);
            start();
        }

        /** Replaces any task not yet taken: it belongs to a finished call, so it has no chunks left. */
        void submit(Runnable r) {
            task.set(r);
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            IN_WORKER.set(true);
            while (true) {
                Runnable r;
                int spins = 0;
                while ((r = task.getAndSet(null)) == null) {
                    spins++;
                    if (spins < 2_000) {
                        Thread.onSpinWait();
                    } else if (spins < 20_000) {
                        Thread.yield(); // stays responsive without starving other runnable threads
                    } else {
                        LockSupport.park(this);
                    }
                }
                r.run();
            }
        }
    }
}
