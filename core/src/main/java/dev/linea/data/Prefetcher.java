package dev.linea.data;

import java.lang.ref.Cleaner;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds an epoch's batches on a daemon thread into a bounded queue, so the next batch is ready
 * when the training step asks for it. The thread holds no reference to the iterator it serves: an
 * iterator abandoned by an early {@code break} becomes garbage, and its cleaner stops the thread.
 */
final class Prefetcher {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Name prefix of the prefetch threads (tests count them). */
    static final String THREAD_PREFIX = "linea-dataloader-";

    /** A batch that failed: the producer's exception, rethrown to the consumer. */
    private record Failure(Throwable error) {}

    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean stopped;

    private Prefetcher(Object owner, DataLoader loader, int[] order, int first, int count, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        // The task must not capture `owner` or this Prefetcher's cleaner could never run.
        BlockingQueue<Object> q = queue;
        this.thread = Thread.ofPlatform().daemon().name(THREAD_PREFIX + THREADS.incrementAndGet())
                .unstarted(() -> produce(q, loader, order, first, count));
        Thread t = thread;
        this.cleanable = CLEANER.register(owner, t::interrupt);
    }

    /** Starts producing batches {@code first..count-1} of {@code order}. */
    static Prefetcher start(Object owner, DataLoader loader, int[] order, int first, int count, int capacity) {
        Prefetcher p = new Prefetcher(owner, loader, order, first, count, capacity);
        p.thread.start();
        return p;
    }

    private static void produce(BlockingQueue<Object> q, DataLoader loader, int[] order, int first, int count) {
        try {
            for (int b = first; b < count; b++) {
                Object item;
                try {
                    item = loader.makeBatch(order, b);
                } catch (Throwable e) {
                    q.put(new Failure(e));
                    return;
                }
                q.put(item);
            }
        } catch (InterruptedException stop) {
            // close() or the cleaner: nobody will take more batches
        }
    }

    /** The next batch, waiting for it; rethrows the producer's exception. */
    Batch take() {
        if (stopped) {
            throw new IllegalStateException("the data loader's iterator was closed");
        }
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while waiting for the next batch", e);
        }
        if (item instanceof Failure(Throwable error)) {
            stop();
            if (error instanceof RuntimeException r) {
                throw r;
            }
            if (error instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("building a batch failed: " + error, error);
        }
        return (Batch) item;
    }

    /** Stops the thread and waits (briefly) for it to end. */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        cleanable.clean(); // interrupts the thread, once
        queue.clear();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
