package dev.linea.distributed;

import dev.linea.Generator;
import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.data.Batch;
import dev.linea.data.DataLoader;
import dev.linea.data.FashionMNIST;
import dev.linea.data.Split;
import dev.linea.data.SupervisedDataset;
import dev.linea.models.FCNN;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Module;
import dev.linea.optim.Adam;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The figures of BENCHMARKS.md's "Distributed training" section, one JVM per rank (not a unit test):
 * <pre>
 * java -cp ... dev.linea.distributed.DistributedBench allreduce RANK WORLD BASEPORT FLOATS ITERATIONS
 * java -cp ... dev.linea.distributed.DistributedBench train RANK WORLD BASEPORT BATCH STEPS [overlap|plain [BUCKET_MB]]
 * </pre>
 * {@code allreduce}: rank 0 prints the median and p90 of one AVG allreduce of FLOATS floats.
 * {@code train}: W1's step (FCNN, Adam 1e-3, 1 compute thread) on each rank's shard with DDP, after
 * {@code -Dwarmup=} warm-up steps (default 3,000: with 200, C2 was still compiling on each pinned JVM's one core and
 * even a 1-rank run spent 0.5-0.85 ms a step waiting on it), the buckets reduced during backward ({@code overlap}, the default) or after it
 * ({@code plain}) in buckets of BUCKET_MB (default 25); rank 0 prints the samples per second of all ranks together,
 * and its own step times and time in {@code syncGradients}. {@code -Dlinea.distributed.transport=tcp|shm} picks
 * the transport (default: shared memory, the ranks being on one machine).
 */
final class DistributedBench {
    private DistributedBench() {}

    public static void main(String[] args) throws Exception {
        int rank = Integer.parseInt(args[1]), world = Integer.parseInt(args[2]), base = Integer.parseInt(args[3]);
        List<InetSocketAddress> addrs = new ArrayList<>();
        for (int r = 0; r < world; r++) {
            addrs.add(new InetSocketAddress("127.0.0.1", base + r));
        }
        try (ProcessGroup g = ProcessGroup.init(rank, world, new StaticAddresses(addrs),
                java.net.InetAddress.getLoopbackAddress(), java.time.Duration.ofSeconds(120))) {
            if (args[0].equals("allreduce")) {
                allReduce(g, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            } else {
                boolean overlap = args.length < 7 || switch (args[6]) {
                    case "overlap" -> true;
                    case "plain" -> false;
                    default -> throw new IllegalArgumentException("expected overlap or plain, got " + args[6]);
                };
                double bucketMb = args.length < 8 ? 25 : Double.parseDouble(args[7]);
                train(g, Integer.parseInt(args[4]), Integer.parseInt(args[5]), overlap, bucketMb);
            }
        }
    }

    private static void allReduce(ProcessGroup g, int floats, int iterations) throws Exception {
        float[] buf = new float[floats];
        Arrays.fill(buf, g.rank() + 1);
        for (int i = 0; i < 300; i++) {
            g.allReduce(buf, ReduceOp.AVG);
        }
        long[] ns = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            g.barrier();
            long t = System.nanoTime();
            g.allReduce(buf, ReduceOp.AVG);
            ns[i] = System.nanoTime() - t;
        }
        Arrays.sort(ns);
        if (g.rank() == 0) {
            System.out.printf("allreduce %d floats, %d ranks, %s: median %.3f ms, p90 %.3f ms, min %.3f ms%n", floats,
                    g.worldSize(), g.transport(), ns[iterations / 2] / 1e6, ns[iterations * 9 / 10] / 1e6, ns[0] / 1e6);
        }
    }

    /** The {@code p}-th percentile of sorted nanoseconds, in ms. */
    private static double pct(long[] sortedNs, int p) {
        return sortedNs.length == 0 ? Double.NaN : sortedNs[Math.min(sortedNs.length - 1, sortedNs.length * p / 100)] / 1e6;
    }

    private static void train(ProcessGroup g, int batch, int steps, boolean overlap, double bucketMb) throws Exception {
        Linea.setNumThreads(1);
        SupervisedDataset data = FashionMNIST.sample(Split.TRAIN, FashionMNIST.normalized());
        Module model = Module.withGenerator(new Generator(0), FCNN::new);
        DistributedDataParallel ddp = new DistributedDataParallel(model, g, bucketMb, overlap);
        Adam opt = new Adam(model.parameters(), 1e-3);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        DistributedSampler sampler = new DistributedSampler(data.size(), g.worldSize(), g.rank(), 0);
        int epoch = 0;
        Iterator<Batch> it = null;
        long t0 = 0;
        long[] stepNs = new long[Math.max(steps, 0)], syncNs = new long[Math.max(steps, 0)];
        for (int s = -Integer.getInteger("warmup", 3000); s < steps; s++) {
            if (s == 0) {
                g.barrier();
                t0 = System.nanoTime();
            }
            if (it == null || !it.hasNext()) {
                it = DataLoader.builder(sampler.shard(data, epoch++)).batchSize(batch).dropLast(true).build()
                        .epoch(0).iterator();
            }
            long start = System.nanoTime();
            Batch b = it.next();
            opt.zeroGrad();
            Tensor l = loss.forward(ddp.forward(b.inputs()), b.targets());
            l.backward();
            long sync = System.nanoTime();
            ddp.syncGradients();
            long synced = System.nanoTime();
            opt.step();
            if (s >= 0) {
                stepNs[s] = System.nanoTime() - start;
                syncNs[s] = synced - sync;
            }
        }
        g.barrier();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (g.rank() == 0) {
            Arrays.sort(stepNs);
            Arrays.sort(syncNs);
            System.out.printf("train W1 batch %d per rank, %d ranks x 1 thread, %s, %d buckets, %s: %.0f samples/s (all ranks), "
                            + "%.2f ms/step (rank 0: p50 %.2f, p90 %.2f, p99 %.2f ms; in syncGradients p50 %.3f, p90 %.3f ms)%n",
                    batch, g.worldSize(), overlap ? "overlap" : "plain", ddp.buckets().size(), g.transport(),
                    (double) steps * batch * g.worldSize() / seconds, seconds * 1e3 / steps, pct(stepNs, 50), pct(stepNs, 90),
                    pct(stepNs, 99), pct(syncNs, 50), pct(syncNs, 90));
        }
    }
}
