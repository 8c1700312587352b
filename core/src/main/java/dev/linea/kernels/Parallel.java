package dev.linea.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Linea's own worker pool. Work is split into chunks whose boundaries depend only on the problem size
 * and a grain, never on the thread count, so every chunk computes the same thing whoever runs it; that
 * keeps results bitwise identical for any {@link #setNumThreads thread count}. Workers are daemon
 * threads that spin briefly and then park, so nothing keeps the JVM alive.
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
        final int g = grain;
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                int from = c * g;
                body.run(from, Math.min(n, from + g));
            }
        };
        runOnAll(threads, drain);
    }

    /** Runs {@code task} on {@code threads} threads (the caller included) and waits for all of them. */
    private static void runOnAll(int threads, Runnable task) {
        Worker[] pool = ensureWorkers(threads - 1);
        AtomicInteger pending = new AtomicInteger(threads - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.currentThread();
        for (int i = 0; i < threads - 1; i++) {
            pool[i].submit(() -> {
                try {
                    task.run();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (pending.decrementAndGet() == 0) {
                        LockSupport.unpark(caller);
                    }
                }
            });
        }
        IN_WORKER.set(true);
        try {
            task.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        } finally {
            IN_WORKER.set(false);
        }
        int spins = 0;
        while (pending.get() != 0) {
            if (++spins < 20_000) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(50_000);
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

        void submit(Runnable r) {
            while (!task.compareAndSet(null, r)) {
                Thread.onSpinWait();
            }
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            IN_WORKER.set(true);
            while (true) {
                Runnable r;
                int spins = 0;
                while ((r = task.get()) == null) {
                    if (++spins < 50_000) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                task.set(null);
                r.run();
            }
        }
    }
}
