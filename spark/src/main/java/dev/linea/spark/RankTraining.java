package dev.linea.spark;

import dev.linea.Generator;
import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.data.Batch;
import dev.linea.data.DataLoader;
import dev.linea.data.ImageDataset;
import dev.linea.data.ImageSet;
import dev.linea.data.ImageSetKind;
import dev.linea.data.Normalize;
import dev.linea.data.Split;
import dev.linea.data.SupervisedDataset;
import dev.linea.data.ToTensor;
import dev.linea.distributed.AddressExchange;
import dev.linea.distributed.DistributedDataParallel;
import dev.linea.distributed.DistributedSampler;
import dev.linea.distributed.ProcessGroup;
import dev.linea.distributed.ReduceOp;
import dev.linea.io.Checkpoints;
import dev.linea.io.TrainingProgress;
import dev.linea.models.CNN;
import dev.linea.models.FCNN;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Module;
import dev.linea.optim.Adam;
import dev.linea.optim.AdamW;
import dev.linea.optim.Optimizer;
import dev.linea.optim.SGD;
import dev.linea.optim.lr.CosineAnnealingLR;
import dev.linea.optim.lr.LRScheduler;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The training loop one rank runs (inside a Spark barrier task, or on a thread in tests): join the process
 * group, build the model and optimizer, resume from the run folder's checkpoint when there is one, then for
 * each epoch train on this rank's {@link DistributedSampler} shard with gradients averaged by
 * {@link DistributedDataParallel}; rank 0 checkpoints. At the end every rank scores its share of the test
 * split and the counts are summed, so every rank reports the same accuracy.
 *
 * <p>Every rank loads the data set (the embedded sample, or the IDX files under {@code dataDir}, which must be
 * on every executor) and reads only its shard's examples. Each rank draws its dropout masks from its own
 * generator (seed + rank); the checkpoint does not hold those generators, so after a restart the masks are
 * drawn afresh (the weights, optimizer state, schedule and data order continue exactly).
 */
final class RankTraining {
    private RankTraining() {}

    static RankResult run(SparkTrainJob job, int rank, AddressExchange exchange, InetAddress host, PrintStream log)
            throws IOException {
        long t0 = System.nanoTime();
        Linea.setNumThreads(job.threads());
        try (ProcessGroup group = ProcessGroup.init(rank, job.ranks(), exchange, host,
                Duration.ofSeconds(job.timeoutSeconds()))) {
            // Rank 0's initial weights are broadcast; the rank in the seed only gives each rank its own dropout masks.
            Module model = Module.withGenerator(new Generator(job.seed() + rank), () -> switch (job.model()) {
                case "cnn" -> new CNN(job.dropout());
                default -> new FCNN(job.dropout());
            });
            Optimizer optimizer = optimizer(job, model);
            LRScheduler scheduler = job.scheduler().equals("cosine") ? new CosineAnnealingLR(optimizer, job.epochs()) : null;
            Path state = Path.of(job.runDir(), SparkTrainJob.STATE_FILE);
            TrainingProgress progress = TrainingProgress.start();
            if (Files.isRegularFile(state)) {
                progress = Checkpoints.resume(state, model, optimizer);
                if (scheduler != null && !progress.scheduler().isEmpty()) {
                    scheduler.loadStateDict(progress.scheduler());
                }
                if (rank == 0) {
                    log.printf("rank 0: resuming from %s at epoch %d, batch %d%n", state, progress.epoch(), progress.batch());
                }
            }
            DistributedDataParallel ddp = new DistributedDataParallel(model, group);
            ImageDataset train = data(job, Split.TRAIN), test = data(job, Split.TEST);
            DistributedSampler sampler = new DistributedSampler(train.size(), job.ranks(), rank, job.seed());
            CrossEntropyLoss loss = new CrossEntropyLoss();

            int startEpoch = progress.epoch(), startBatch = progress.batch(), steps = 0;
            double lastTrainLoss = Double.NaN;
            for (int epoch = startEpoch; epoch <= job.epochs(); epoch++) {
                boolean resumed = epoch == startEpoch;
                int batch = resumed ? progress.batch() : 0;
                double lossSum = resumed ? progress.lossSum() : 0;
                long seen = resumed ? progress.seen() : 0;
                model.train();
                DataLoader loader = new DataLoader(sampler.shard(train, epoch - 1), job.batchSize());
                try (DataLoader.Batches it = loader.epoch(0, batch)) {
                    while (it.hasNext()) {
                        Batch b = it.next();
                        optimizer.zeroGrad();
                        Tensor l = loss.forward(ddp.forward(b.inputs()), b.targets());
                        l.backward();
                        ddp.syncGradients();
                        optimizer.step();
                        lossSum += l.item() * b.size();
                        seen += b.size();
                        batch++;
                        steps++;
                        if (job.checkpointEvery() > 0 && batch % job.checkpointEvery() == 0 && it.hasNext()) {
                            ddp.saveCheckpoint(state, optimizer, new TrainingProgress(epoch, batch, lossSum, seen, 0, null,
                                    Double.POSITIVE_INFINITY, 0, schedulerState(scheduler)));
                        }
                    }
                }
                float[] sums = {(float) lossSum, seen};
                group.allReduce(sums, ReduceOp.SUM);
                lastTrainLoss = sums[0] / sums[1];
                if (scheduler != null) {
                    scheduler.step();
                }
                ddp.saveCheckpoint(state, optimizer, new TrainingProgress(epoch + 1, 0, 0, 0, 0, null,
                        Double.POSITIVE_INFINITY, 0, schedulerState(scheduler)));
                if (rank == 0) {
                    log.printf("rank 0: epoch %d/%d train loss %.4f (%d ranks x batch %d)%n", epoch, job.epochs(),
                            lastTrainLoss, job.ranks(), job.batchSize());
                }
            }
            float[] score = evaluate(model, test, rank, job.ranks(), loss);
            group.allReduce(score, ReduceOp.SUM);
            ddp.saveModel(Path.of(job.runDir(), SparkTrainJob.MODEL_FILE));
            return new RankResult(rank, DistributedDataParallel.fingerprint(model), startEpoch, startBatch, steps,
                    lastTrainLoss, score[1] / score[2], score[0] / score[2], (System.nanoTime() - t0) / 1e9,
                    group.transport());
        }
    }

    private static Map<String, Object> schedulerState(LRScheduler scheduler) {
        return scheduler == null ? Map.of() : scheduler.stateDict();
    }

    /** (correct, loss sum, count) over this rank's examples of the test split: {@code rank, rank + N, ...}. */
    private static float[] evaluate(Module model, SupervisedDataset test, int rank, int ranks, CrossEntropyLoss loss) {
        model.eval();
        double correct = 0, lossSum = 0;
        int count = 0;
        int mine = (test.size() - rank + ranks - 1) / ranks;
        try (var g = GradMode.noGrad()) {
            for (int from = 0; from < mine; from += 500) {
                int n = Math.min(500, mine - from);
                int[] idx = new int[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = rank + (from + i) * ranks;
                }
                Batch b = test.batch(idx);
                Tensor logits = model.forward(b.inputs());
                lossSum += loss.forward(logits, b.targets()).item() * n;
                correct += logits.argmax(1, false).eq(b.targets()).sum().item();
                count += n;
            }
        }
        return new float[] {(float) correct, (float) lossSum, count};
    }

    static ImageDataset data(SparkTrainJob job, Split split) throws IOException {
        ImageSetKind kind = switch (job.data()) {
            case "mnist" -> ImageSetKind.MNIST;
            case "fashion-mnist" -> ImageSetKind.FASHION_MNIST;
            default -> ImageSetKind.FASHION_MNIST_SAMPLE;
        };
        ImageSet set = kind == ImageSetKind.FASHION_MNIST_SAMPLE ? ImageSet.loadSample(split)
                : ImageSet.load(kind, split, Optional.ofNullable(job.dataDir()).map(Path::of));
        return new ImageDataset(set, new ToTensor().andThen(new Normalize(kind.mean(), kind.std())));
    }

    private static Optimizer optimizer(SparkTrainJob job, Module model) {
        // The same settings as linea train's optimizers.
        return switch (job.optimizer()) {
            case "adamw" -> new AdamW(model.parameters(), job.lr(), 0.9, 0.999, 1e-8, job.weightDecay());
            case "sgd" -> new SGD(model.parameters(), job.lr(), 0.9, 0, job.weightDecay(), true);
            default -> new Adam(model.parameters(), job.lr(), 0.9, 0.999, 1e-8, job.weightDecay());
        };
    }
}
