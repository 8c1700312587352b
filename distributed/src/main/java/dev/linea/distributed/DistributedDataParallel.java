package dev.linea.distributed;

import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.io.Checkpoint;
import dev.linea.io.Checkpoints;
import dev.linea.io.TrainingProgress;
import dev.linea.nn.Module;
import dev.linea.nn.Parameter;
import dev.linea.optim.Optimizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Synchronous data parallelism, PyTorch's {@code torch.nn.parallel.DistributedDataParallel}: every rank holds
 * a replica of {@code module}, computes gradients on its own shard of each batch, and {@link #syncGradients}
 * replaces every gradient by its mean over the ranks, so the optimizers on all ranks apply the same update and
 * the replicas stay bit-identical. Training step on each rank:
 * <pre>{@code
 * var ddp = new DistributedDataParallel(model, group);      // rank 0's weights and buffers everywhere
 * optimizer.zeroGrad();
 * loss.forward(ddp.forward(batch.inputs()), batch.targets()).backward();
 * ddp.syncGradients();                                      // PyTorch does this inside backward()
 * optimizer.step();
 * }</pre>
 * As in PyTorch the wrapped model is the child {@code module}, so the state dict names are
 * {@code module.fc1.weight}; save {@link #module} to get the plain names.
 *
 * <ul>
 * <li><b>Start</b>: the constructor broadcasts rank 0's parameters and buffers, so replicas built with different
 *     seeds start equal.</li>
 * <li><b>Buckets</b>: gradients are averaged in buckets of at most {@code bucketCapMb} MB (PyTorch's default
 *     25), parameters taken in reverse registration order as PyTorch does, one allreduce per bucket.</li>
 * <li><b>Overlap</b> (on by default): a post-accumulate gradient hook on each parameter marks it ready during
 *     {@code backward()}; a bucket whose gradients are all ready is reduced on a communication thread while
 *     backward goes on (the last layers' buckets first), and {@link #syncGradients} only waits for the rest.
 *     Buckets are reduced in bucket order either way, so the result is bit-identical to reducing them all
 *     after backward. For gradient accumulation run the backward passes that only accumulate inside
 *     {@link #noSync()}, as PyTorch's {@code no_sync()}.</li>
 * <li><b>Gradients that are missing</b> (a parameter not used this step) are reduced as zeros, so every rank
 *     takes part in every bucket; PyTorch would need {@code find_unused_parameters=True} here.</li>
 * <li><b>Buffers</b> (BatchNorm's running statistics) stay per rank, each computed from that rank's data:
 *     PyTorch's {@code broadcast_buffers=False}. Save rank 0's, as PyTorch users do.</li>
 * <li><b>Checkpoints</b> are written by rank 0 only ({@link #saveCheckpoint}); the other ranks wait until the
 *     file is complete.</li>
 * </ul>
 */
public final class DistributedDataParallel extends Module {
    /** The wrapped replica (PyTorch's {@code ddp.module}). */
    public final Module module;
    private final ProcessGroup group;
    private final List<List<Parameter>> buckets;
    private final BucketReducer reducer;

    /** Wraps {@code module} with 25 MB buckets overlapped with backward, broadcasting rank 0's parameters and buffers. */
    public DistributedDataParallel(Module module, ProcessGroup group) throws IOException {
        this(module, group, 25);
    }

    /** As {@link #DistributedDataParallel(Module, ProcessGroup, double, boolean)}, overlapped with backward. */
    public DistributedDataParallel(Module module, ProcessGroup group, double bucketCapMb) throws IOException {
        this(module, group, bucketCapMb, true);
    }

    /**
     * @param bucketCapMb the most megabytes of gradients one allreduce carries (PyTorch's {@code bucket_cap_mb})
     * @param overlapWithBackward start each bucket's allreduce during {@code backward()} as soon as its
     *     gradients are final; false reduces every bucket in {@link #syncGradients} (same result, bit for bit)
     * @throws IllegalArgumentException when the cap is not positive
     */
    public DistributedDataParallel(Module module, ProcessGroup group, double bucketCapMb, boolean overlapWithBackward)
            throws IOException {
        if (!(bucketCapMb > 0)) {
            throw new IllegalArgumentException("bucketCapMb must be positive, got " + bucketCapMb);
        }
        this.module = module;
        this.group = group;
        this.buckets = buckets(module.parameters(), (long) (bucketCapMb * 1024 * 1024));
        broadcastState();
        this.reducer = new BucketReducer(group, buckets, overlapWithBackward);
        train(module.isTraining());
    }

    private static List<List<Parameter>> buckets(List<Parameter> params, long capBytes) {
        List<List<Parameter>> out = new ArrayList<>();
        List<Parameter> current = new ArrayList<>();
        long bytes = 0;
        for (Parameter p : params.reversed()) {
            if (!p.requiresGrad()) {
                continue;
            }
            long b = 4L * p.numel();
            if (!current.isEmpty() && bytes + b > capBytes) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(p);
            bytes += b;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** The replica's output; BatchNorm updates this rank's own running statistics. */
    @Override
    public Tensor forward(Tensor input) {
        return module.forward(input);
    }

    /** The process group the gradients are averaged over. */
    public ProcessGroup processGroup() {
        return group;
    }

    /** The parameters of each gradient bucket, in the order they are reduced. */
    public List<List<Parameter>> buckets() {
        return buckets.stream().map(List::copyOf).toList();
    }

    /** The reducer behind {@link #syncGradients} (for tests in this package). */
    BucketReducer reducer() {
        return reducer;
    }

    /** Copies rank 0's parameters and buffers to every rank (done by the constructor; call again after loading on rank 0 only). */
    public void broadcastState() throws IOException {
        List<Tensor> state = new ArrayList<>(module.stateDict().values());
        int total = 0;
        for (Tensor t : state) {
            total += t.numel();
        }
        float[] flat = new float[total];
        int off = 0;
        for (Tensor t : state) {
            float[] v = t.toFloatArray();
            System.arraycopy(v, 0, flat, off, v.length);
            off += v.length;
        }
        group.broadcast(flat, 0);
        if (group.rank() != 0) {
            off = 0;
            try (var g = GradMode.noGrad()) {
                for (Tensor t : state) {
                    float[] v = new float[t.numel()];
                    System.arraycopy(flat, off, v, 0, v.length);
                    t.copy_(Tensor.wrap(v, t.shape()));
                    off += v.length;
                }
            }
        }
    }

    /**
     * Replaces each trainable parameter's gradient by its mean over the ranks; call it after {@code backward()}
     * and before {@code optimizer.step()} on every rank. With overlap most buckets are already reduced and this
     * waits for the last ones; a parameter backward did not reach is reduced with its current gradient (zeros
     * when it has none).
     *
     * @throws PeerFailureException when a rank dies or falls out of step
     */
    public void syncGradients() throws IOException {
        reducer.finish();
    }

    /**
     * Suspends the overlap's hooks until the returned scope is closed, as PyTorch's {@code no_sync()}: the
     * backward passes inside only accumulate local gradients, and the first backward after it plus
     * {@link #syncGradients} averages the accumulated sum.
     * <pre>{@code
     * try (var s = ddp.noSync()) { loss(microBatch1).backward(); }
     * loss(microBatch2).backward();
     * ddp.syncGradients();
     * }</pre>
     */
    public NoSync noSync() {
        reducer.pause(true);
        boolean[] open = {true};
        return () -> {
            if (open[0]) {
                open[0] = false;
                reducer.pause(false);
            }
        };
    }

    /** The scope {@link #noSync()} returns; closing it resumes the overlap. */
    public interface NoSync extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Writes a training checkpoint of {@link #module} (plain names) on rank 0 only, then waits on every rank
     * until it is written, so a rank that resumes from it never reads a half-written file.
     */
    public void saveCheckpoint(Path path, Optimizer optimizer, TrainingProgress progress) throws IOException {
        if (group.rank() == 0) {
            Checkpoints.save(path, Checkpoint.of(module, optimizer, progress));
        }
        group.barrier();
    }

    /** Writes {@link #module}'s weights on rank 0 only, then waits on every rank until they are written. */
    public void saveModel(Path path) throws IOException {
        if (group.rank() == 0) {
            Checkpoints.saveModel(path, module);
        }
        group.barrier();
    }

    @Override
    public String extraRepr() {
        return "rank=" + group.rank() + ", world_size=" + group.worldSize() + ", buckets=" + buckets.size();
    }

    /**
     * A 64-bit hash of the names and exact bits of {@code model}'s parameters: equal on two ranks when their
     * replicas are (with overwhelming probability), for checks and logs. Buffers are left out: BatchNorm's
     * running statistics differ between ranks by design.
     */
    public static long fingerprint(Module model) {
        long h = 1125899906842597L;
        for (var e : model.namedParameters().entrySet()) {
            h = 31 * h + e.getKey().hashCode();
            for (float f : e.getValue().toFloatArray()) {
                h = 31 * h + Float.floatToRawIntBits(f);
            }
        }
        return h;
    }
}
