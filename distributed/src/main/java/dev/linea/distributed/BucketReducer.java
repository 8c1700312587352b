package dev.linea.distributed;

import dev.linea.Tensor;
import dev.linea.nn.Parameter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Averages gradient buckets over a process group, as PyTorch's DDP {@code Reducer}: each bucket is one flat
 * float buffer; with {@code overlap}, a post-accumulate hook on every parameter copies its gradient in as soon
 * as backward has finished it, and a bucket whose gradients are all in goes to the communication thread,
 * whose ring allreduce then runs while backward computes the next gradients. {@link #finish} fills what no hook
 * delivered (unused parameters, or all of them without overlap), waits for every bucket and writes the means
 * back.
 *
 * <p>Buckets are handed to the single communication thread strictly in bucket order, whatever order their
 * gradients arrive in: every rank then sends the same allreduces in the same order over the same sockets, and
 * each bucket's sum is the one the non-overlapped path computes from the same buffer, bit for bit.
 */
final class BucketReducer {
    /**
     * The reducer a parameter reports to: the newest DDP wrapping it. Hooks stay on a parameter, so a replica
     * wrapped again must silence the older wrapper's, or its allreduces would interleave with the new one's.
     * Weak both ways: the map keeps neither a dropped model nor a dropped wrapper alive.
     */
    private static final Map<Tensor, WeakReference<BucketReducer>> OWNERS =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final ProcessGroup group;
    private final List<List<Parameter>> buckets;
    private final float[][] flats;
    private final int[][] offsets;
    private final boolean[][] delivered;
    private final int[] pending;
    private final Future<?>[] inFlight;
    private final Map<Tensor, int[]> slots = new IdentityHashMap<>(); // parameter -> {bucket, index}
    private final ThreadPoolExecutor comm;
    private int nextLaunch;
    private int paused;
    private volatile IOException failure; // the first allreduce that failed; later buckets are skipped

    BucketReducer(ProcessGroup group, List<List<Parameter>> buckets, boolean overlap) {
        this.group = group;
        this.buckets = buckets;
        int n = buckets.size();
        flats = new float[n][];
        offsets = new int[n][];
        delivered = new boolean[n][];
        pending = new int[n];
        inFlight = new Future<?>[n];
        for (int b = 0; b < n; b++) {
            List<Parameter> params = buckets.get(b);
            offsets[b] = new int[params.size()];
            int total = 0;
            for (int i = 0; i < params.size(); i++) {
                offsets[b][i] = total;
                total += params.get(i).numel();
                slots.put(params.get(i), new int[] {b, i});
                OWNERS.put(params.get(i), new WeakReference<>(this));
            }
            flats[b] = new float[total];
            delivered[b] = new boolean[params.size()];
            pending[b] = params.size();
        }
        // One thread, started on demand and ended when idle: a replica that is dropped leaks no thread.
        comm = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().daemon().name("linea-ddp-allreduce-rank" + group.rank()).factory());
        if (overlap) {
            for (List<Parameter> params : buckets) {
                for (Parameter p : params) {
                    p.registerPostAccumulateGradHook(this::gradientReady);
                }
            }
        }
    }

    /** How many buckets of this step went to the communication thread so far (for tests). */
    synchronized int launched() {
        return nextLaunch;
    }

    /** Stops (count up) or resumes (count down) the hooks, for {@code noSync()}. */
    synchronized void pause(boolean on) {
        paused += on ? 1 : -1;
    }

    /** The hook: {@code p.grad()} is final for this backward. */
    private synchronized void gradientReady(Tensor p) {
        WeakReference<BucketReducer> owner = OWNERS.get(p);
        if (paused > 0 || owner == null || owner.get() != this) {
            return;
        }
        int[] slot = slots.get(p);
        int b = slot[0], i = slot[1];
        if (delivered[b][i]) {
            throw new IllegalStateException("parameter of shape " + Arrays.toString(p.shape())
                    + " in gradient bucket " + b + " received a gradient twice before syncGradients(): call"
                    + " syncGradients() after each backward, or run the backward passes that only accumulate"
                    + " inside ddp.noSync() (PyTorch: \"Expected to mark a variable ready only once\")");
        }
        copyIn(b, i, p.grad());
        delivered[b][i] = true;
        if (--pending[b] == 0) {
            launchInOrder();
        }
    }

    private void copyIn(int b, int i, Tensor grad) {
        int off = offsets[b][i], n = buckets.get(b).get(i).numel();
        if (grad == null) {
            Arrays.fill(flats[b], off, off + n, 0f); // unused this step: reduced as zeros, so every rank takes part
        } else {
            System.arraycopy(grad.toFloatArray(), 0, flats[b], off, n);
        }
    }

    private void launchInOrder() {
        while (nextLaunch < buckets.size() && pending[nextLaunch] == 0) {
            float[] flat = flats[nextLaunch];
            inFlight[nextLaunch++] = comm.submit(() -> {
                if (failure == null) {
                    try {
                        group.allReduce(flat, ReduceOp.AVG);
                    } catch (IOException e) {
                        failure = e;
                    }
                }
                return null;
            });
        }
    }

    /**
     * Reduces the buckets no hook completed, waits for all of them, and replaces every gradient by its mean;
     * then the next step starts afresh.
     */
    synchronized void finish() throws IOException {
        for (int b = 0; b < buckets.size(); b++) {
            if (pending[b] == 0) {
                continue;
            }
            List<Parameter> params = buckets.get(b);
            for (int i = 0; i < params.size(); i++) {
                if (!delivered[b][i]) {
                    copyIn(b, i, params.get(i).grad());
                }
            }
            pending[b] = 0;
        }
        launchInOrder();
        try {
            for (Future<?> f : inFlight) {
                await(f);
            }
            if (failure != null) {
                throw failure;
            }
            for (int b = 0; b < buckets.size(); b++) {
                List<Parameter> params = buckets.get(b);
                for (int i = 0; i < params.size(); i++) {
                    Parameter p = params.get(i);
                    float[] v = Arrays.copyOfRange(flats[b], offsets[b][i], offsets[b][i] + p.numel());
                    p.setGrad(Tensor.wrap(v, p.shape()));
                }
            }
        } finally {
            failure = null;
            nextLaunch = 0;
            for (int b = 0; b < buckets.size(); b++) {
                Arrays.fill(delivered[b], false);
                pending[b] = buckets.get(b).size();
                inFlight[b] = null;
            }
        }
    }

    private static void await(Future<?> f) throws IOException {
        boolean interrupted = false;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the allreduce is under way on the peers too: see it to its end or its timeout
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new UncheckedIOException(new IOException(c));
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
