package dev.linea.inference;

import dev.linea.Tensor;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Gathers concurrent single predictions into batches: each caller's input waits at most {@code maxWait}
 * for others to arrive, then up to {@code maxBatch} inputs go through one {@link Predictor#predictBatch}
 * forward on this batcher's own thread, and each caller gets its own answer. A batched forward reads the
 * weights once for the whole batch, where single calls read them once each. Inputs are checked and images
 * preprocessed on the caller's thread, so a bad input fails its caller alone. Safe for any number of threads;
 * {@link #close} stops the thread after the batches already queued.
 */
public final class BatchingPredictor implements AutoCloseable {
    private record Request(float[] input, int k, CompletableFuture<List<Prediction>> answer) {}

    private static final Request STOP = new Request(null, 0, null);

    private final Predictor predictor;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;

    /**
     * @param predictor the model
     * @param maxBatch most inputs per forward, at least 1
     * @param maxWait how long the first input of a batch waits for more (0: only those already queued)
     */
    public BatchingPredictor(Predictor predictor, int maxBatch, Duration maxWait) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
        }
        this.predictor = predictor;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.worker = Thread.ofPlatform().daemon().name("linea-batching-predictor").start(this::loop);
    }

    /** The predictor the batches go to. */
    public Predictor predictor() {
        return predictor;
    }

    /** As {@link Predictor#predict(float[], int)}, batched with concurrent calls. */
    public List<Prediction> predict(float[] input, int k) {
        return submit(predictor.checkedValues(input), k);
    }

    /** As {@link Predictor#predict(Tensor, int)}, batched with concurrent calls. */
    public List<Prediction> predict(Tensor input, int k) {
        return submit(predictor.checkedValues(input), k);
    }

    /** As {@link Predictor#predict(BufferedImage, int)}, batched with concurrent calls. */
    public List<Prediction> predict(BufferedImage image, int k) {
        return submit(predictor.imageTensor(image).toFloatArray(), k);
    }

    private List<Prediction> submit(float[] values, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (closed) {
            throw new IllegalStateException("the batching predictor is closed");
        }
        Request r = new Request(values, k, new CompletableFuture<>());
        queue.add(r);
        try {
            return r.answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    private void loop() {
        List<Request> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            Request first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (first == STOP) {
                drainAfterStop();
                return;
            }
            batch.add(first);
            boolean stop = false;
            long deadline = System.nanoTime() + maxWaitNanos;
            while (batch.size() < maxBatch) {
                Request next;
                try {
                    long left = deadline - System.nanoTime();
                    next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                } catch (InterruptedException e) {
                    next = null;
                }
                if (next == null) {
                    break;
                }
                if (next == STOP) {
                    stop = true;
                    break;
                }
                batch.add(next);
            }
            run(batch);
            if (stop) {
                drainAfterStop();
                return;
            }
        }
    }

    private void run(List<Request> batch) {
        int k = batch.stream().mapToInt(Request::k).max().orElse(1);
        List<float[]> inputs = batch.stream().map(Request::input).toList();
        try {
            List<List<Prediction>> answers = predictor.predictBatch(inputs, k);
            for (int i = 0; i < batch.size(); i++) {
                List<Prediction> a = answers.get(i);
                batch.get(i).answer.complete(a.subList(0, Math.min(batch.get(i).k, a.size())));
            }
        } catch (RuntimeException | Error e) {
            for (Request r : batch) {
                r.answer.completeExceptionally(e);
            }
        }
    }

    /** Requests that raced with close: answered one batch at a time, as before. */
    private void drainAfterStop() {
        List<Request> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.remove(STOP);
        for (int i = 0; i < rest.size(); i += maxBatch) {
            run(rest.subList(i, Math.min(rest.size(), i + maxBatch)));
        }
    }

    /** Answers what is queued, then stops the batching thread. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            queue.add(STOP);
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
