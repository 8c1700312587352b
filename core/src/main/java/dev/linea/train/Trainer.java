package dev.linea.train;

import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.data.Batch;
import dev.linea.data.DataLoader;
import dev.linea.data.SupervisedDataset;
import dev.linea.io.TrainingProgress;
import dev.linea.nn.Module;
import dev.linea.nn.utils.ClipGrad;
import dev.linea.optim.Optimizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * A training loop with callbacks, Keras's {@code fit}/{@code evaluate}/{@code predict} over PyTorch's loop:
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model, new Adam(model.parameters(), 1e-3), new CrossEntropyLoss())
 *         .epochs(10)
 *         .callbacks(new ProgressBar(System.out), new EarlyStopping(3, 0))
 *         .build();
 * History h = trainer.fit(DataLoader.builder(train).batchSize(64).shuffle(true).build(), test);
 * Evaluation e = trainer.evaluate(test);     // loss, accuracy, confusion matrix
 * Tensor probabilities = trainer.predict(x).softmax(1);
 * }</pre>
 * Each batch is the plain loop: {@code loss = lossFn(model(x), y); optimizer.zeroGrad(); loss.backward();
 * optimizer.step()}, with optional gradient clipping and schedule between; {@link Callback} says where each hook
 * runs. After each epoch the model is evaluated on the validation data (in eval mode, without gradients) and the
 * best validation loss is tracked: an epoch improves when its loss is below the best minus the {@link EarlyStopping}
 * callback's minimum delta (0 without one).
 *
 * <p>The loss must reduce by mean over the batch (PyTorch's default): the epoch's loss is the mean of the batch
 * losses weighted by their sizes.
 *
 * <p>Reproducible and resumable: with {@link Builder#seed}, the global {@link Generator} (dropout, augmentation)
 * is reseeded from (seed, epoch) at each epoch's start, the loader's order comes from its own seed and the epoch,
 * and {@link #fit(DataLoader, SupervisedDataset, TrainingProgress)} continues a run from any
 * {@link TrainingProgress} a callback saved (even mid-epoch, with the generator's state), ending with the same
 * bits as a run never stopped. {@link #stop()} (from another thread, e.g. Ctrl-C) ends the run after the current
 * batch.
 *
 * <p>One run at a time; the trainer itself is not thread-safe, but {@link #stop()} may be called from any thread.
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final BinaryOperator<Tensor> loss;
    private final int epochs;
    private final Scheduling scheduling;
    private final double clipGradNorm;
    private final Long seed;
    private final UnaryOperator<Tensor> inputTransform;
    private final List<Callback> callbacks;
    private final int evalBatchSize;
    private volatile boolean stopRequested;
    private StopReason stopReason;
    private int epoch;
    private int batch;
    private int batches;

    private Trainer(Builder b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.loss = b.loss;
        this.epochs = b.epochs;
        this.scheduling = b.scheduling;
        this.clipGradNorm = b.clipGradNorm;
        this.seed = b.seed;
        this.inputTransform = b.inputTransform;
        this.callbacks = List.copyOf(b.callbacks);
        this.evalBatchSize = b.evalBatchSize;
    }

    /**
     * A trainer of {@code model} by {@code optimizer} on {@code loss}, e.g. a {@code CrossEntropyLoss}'s
     * {@code forward} ({@code new CrossEntropyLoss()::forward}).
     */
    public static Builder builder(Module model, Optimizer optimizer, BinaryOperator<Tensor> loss) {
        return new Builder(model, optimizer, loss);
    }

    /** As {@link #builder(Module, Optimizer, BinaryOperator)} with a loss module. */
    public static Builder builder(Module model, Optimizer optimizer, dev.linea.nn.Loss loss) {
        Objects.requireNonNull(loss, "loss");
        return new Builder(model, optimizer, loss::forward);
    }

    /** The trainer's options: epochs (default 1), schedule (none), clipping (off), seed (none), callbacks (none). */
    public static final class Builder {
        private final Module model;
        private final Optimizer optimizer;
        private final BinaryOperator<Tensor> loss;
        private int epochs = 1;
        private Scheduling scheduling = Scheduling.none();
        private double clipGradNorm;
        private Long seed;
        private UnaryOperator<Tensor> inputTransform = UnaryOperator.identity();
        private final List<Callback> callbacks = new ArrayList<>();
        private int evalBatchSize = 1000;

        private Builder(Module model, Optimizer optimizer, BinaryOperator<Tensor> loss) {
            this.model = Objects.requireNonNull(model, "model");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            this.loss = Objects.requireNonNull(loss, "loss");
        }

        /** The last epoch to train (epochs count from 1), at least 1. */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** When a learning-rate schedule is stepped ({@link Scheduling#perEpoch} and the others). */
        public Builder scheduling(Scheduling scheduling) {
            this.scheduling = Objects.requireNonNull(scheduling);
            return this;
        }

        /**
         * Clips the total (L2) gradient norm to {@code maxNorm} before each step ({@code clip_grad_norm_} with
         * {@code error_if_nonfinite=True}); 0 turns it off.
         */
        public Builder clipGradNorm(double maxNorm) {
            if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
                throw new IllegalArgumentException("max norm must be finite and >= 0, got " + maxNorm);
            }
            this.clipGradNorm = maxNorm;
            return this;
        }

        /** Reseeds the global generator from ({@code seed}, epoch) at each epoch's start, for reproducible runs. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Applied to each training batch's inputs before the forward (augmentation); not to validation data. */
        public Builder inputTransform(UnaryOperator<Tensor> transform) {
            this.inputTransform = Objects.requireNonNull(transform);
            return this;
        }

        /** Adds callbacks, run in this order. */
        public Builder callbacks(Callback... callbacks) {
            this.callbacks.addAll(List.of(callbacks));
            return this;
        }

        /** Examples per forward in {@link #evaluate} and {@link #predict} (default 1000). */
        public Builder evalBatchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("eval batch size must be at least 1, got " + size);
            }
            this.evalBatchSize = size;
            return this;
        }

        /** The trainer with these options. */
        public Trainer build() {
            return new Trainer(this);
        }
    }

    /** The model trained. */
    public Module model() {
        return model;
    }

    /** The optimizer stepping it. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The last epoch of the run. */
    public int epochs() {
        return epochs;
    }

    /** The epoch now running, from 1 (0 before {@link #fit}). */
    public int epoch() {
        return epoch;
    }

    /** The batch now running, from 1; at an epoch's start, how many of its batches a resumed run had done. */
    public int batch() {
        return batch;
    }

    /** Batches per epoch of the loader being fitted. */
    public int batchesPerEpoch() {
        return batches;
    }

    /** The gradient-norm limit, 0 when not clipping. */
    public double clipGradNorm() {
        return clipGradNorm;
    }

    /** The learning rate of the optimizer's first parameter group now. */
    public double lr() {
        return optimizer.paramGroups().getFirst().lr();
    }

    /**
     * Asks the run to stop after the current batch (mid-epoch: see {@link Callback#onInterrupted}); asked before
     * {@link #fit}, the next fit stops after its first batch. The run that stops clears the request.
     */
    public void stop() {
        stopRequested = true;
    }

    /** For callbacks at an epoch's end: ends the run after this epoch, for {@code reason}. */
    public void stop(StopReason reason) {
        stopReason = Objects.requireNonNull(reason);
    }

    /** Whether {@link #stop()} was called. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Trains from the start: {@link #fit(DataLoader, SupervisedDataset, TrainingProgress)} from epoch 1. */
    public History fit(DataLoader train, SupervisedDataset validation) {
        return fit(train, validation, TrainingProgress.start());
    }

    /**
     * Trains from {@code from} to the last epoch, or until a stop or an early stop, evaluating on
     * {@code validation} (null: none) after each epoch.
     *
     * @throws IllegalArgumentException when {@code from} stopped mid-epoch but holds no generator state while a
     *                                  seed is set, or its batch is beyond the loader's
     */
    public History fit(DataLoader train, SupervisedDataset validation, TrainingProgress from) {
        Objects.requireNonNull(train, "train");
        batches = train.numBatches();
        if (from.batch() > batches) {
            throw new IllegalArgumentException("the progress is at batch " + from.batch() + " of epoch " + from.epoch()
                    + ", but the loader has " + batches + " batches an epoch");
        }
        stopReason = null;
        TrainingProgress state = from;
        List<EpochResult> results = new ArrayList<>();
        double minDelta = callbacks.stream().filter(EarlyStopping.class::isInstance).map(EarlyStopping.class::cast)
                .mapToDouble(EarlyStopping::minDelta).max().orElse(0);
        epoch = state.epoch();
        batch = state.batch();
        callbacks.forEach(c -> c.onTrainBegin(this));
        for (epoch = state.epoch(); epoch <= epochs; epoch++) {
            if (seed != null) {
                if (state.batch() == 0) {
                    Generator.global().manualSeed(mix(seed, epoch));
                } else if (state.generator() != null) {
                    Generator.global().setState(state.generator());
                } else {
                    throw new IllegalArgumentException("the progress stopped at batch " + state.batch() + " of epoch "
                            + epoch + " but holds no generator state to continue it with");
                }
            }
            batch = state.batch();
            callbacks.forEach(c -> c.onEpochBegin(this, epoch));
            long t0 = System.nanoTime();
            double lossSum = state.lossSum();
            long seen = state.seen();
            double seconds = state.seconds();
            model.train();
            DataLoader.Batches epochBatches = train.epoch(epoch - 1, state.batch());
            for (int b = state.batch(); b < batches; b++) {
                batch = b + 1;
                Batch data = epochBatches.next();
                int size = data.size();
                float value;
                try {
                    value = step(data);
                } catch (RuntimeException e) {
                    epochBatches.close();
                    callbacks.forEach(c -> c.onAbort(this, e));
                    throw e;
                }
                lossSum += value * size;
                seen += size;
                double mean = lossSum / seen;
                long samples = seen - state.seen();
                for (Callback c : callbacks) {
                    c.onBatchEnd(this, mean, samples);
                }
                if (stopRequested && b + 1 < batches) {
                    epochBatches.close();
                    double elapsed = seconds + (System.nanoTime() - t0) / 1e9;
                    TrainingProgress paused = new TrainingProgress(epoch, b + 1, lossSum, seen, elapsed,
                            Generator.global().state(), state.bestLoss(), state.badEpochs(), scheduling.stateDict());
                    callbacks.forEach(c -> c.onInterrupted(this, paused));
                    return end(results, paused, StopReason.STOPPED);
                }
            }
            double elapsed = seconds + (System.nanoTime() - t0) / 1e9;
            Evaluation eval = validation == null ? null : evaluate(validation);
            double lr = lr(); // the rate of the epoch's last step, before the schedule moves it
            double valLoss = eval == null ? Double.NaN : eval.loss();
            boolean improved = eval != null && valLoss < state.bestLoss() - minDelta;
            double best = improved ? valLoss : state.bestLoss();
            int bad = improved ? 0 : state.badEpochs() + 1;
            EpochResult result = new EpochResult(epoch, lossSum / seen, eval, lr, elapsed, seen, improved, best, bad);
            callbacks.forEach(c -> c.onValidated(this, result));
            scheduling.afterEpoch(valLoss);
            results.add(result);
            state = new TrainingProgress(epoch + 1, 0, 0, 0, 0, Generator.global().state(), best, bad,
                    scheduling.stateDict());
            TrainingProgress next = state;
            callbacks.forEach(c -> c.onEpochEnd(this, result, next));
            if (stopReason != null) {
                return end(results, state, stopReason);
            }
            if (stopRequested && epoch < epochs) {
                return end(results, state, StopReason.STOPPED);
            }
        }
        return end(results, state, StopReason.COMPLETED);
    }

    private History end(List<EpochResult> results, TrainingProgress progress, StopReason reason) {
        if (reason == StopReason.STOPPED) {
            stopRequested = false; // served: fitting again from the progress continues the run
        }
        History h = new History(results, progress, reason);
        callbacks.forEach(c -> c.onTrainEnd(this, h));
        return h;
    }

    /** One batch of the plain loop; returns its loss. */
    private float step(Batch data) {
        Tensor x = inputTransform.apply(data.inputs());
        Tensor l = loss.apply(model.forward(x), data.targets());
        float value = l.item();
        for (Callback c : callbacks) {
            c.onBatchLoss(this, value);
        }
        optimizer.zeroGrad();
        l.backward();
        for (Callback c : callbacks) {
            c.afterBackward(this);
        }
        if (clipGradNorm > 0) {
            ClipGrad.clipGradNorm(model.parameters(), clipGradNorm, 2.0, true);
        }
        optimizer.step();
        for (Callback c : callbacks) {
            c.afterStep(this);
        }
        scheduling.afterBatch();
        return value;
    }

    /**
     * The model's mean loss on {@code data}, in eval mode without gradients, in batches of the eval batch size;
     * for class scores (N, C) against class indices (N) also the accuracy, confusion matrix and each prediction.
     * The model's training mode is restored after.
     */
    public Evaluation evaluate(SupervisedDataset data) {
        return Evaluation.of(model, loss, data, evalBatchSize);
    }

    /**
     * The model's outputs for {@code inputs} (N, ...), in eval mode without gradients, in batches of the eval
     * batch size; the model's training mode is restored after.
     */
    public Tensor predict(Tensor inputs) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var g = GradMode.noGrad()) {
            int n = inputs.size(0);
            if (n <= evalBatchSize) {
                return model.forward(inputs);
            }
            List<Tensor> parts = new ArrayList<>();
            for (int start = 0; start < n; start += evalBatchSize) {
                parts.add(model.forward(inputs.narrow(0, start, Math.min(evalBatchSize, n - start))));
            }
            return Tensor.cat(parts, 0);
        } finally {
            model.train(wasTraining);
        }
    }

    /** The generator seed of {@code epoch} in a run seeded with {@code seed}. */
    static long mix(long seed, int epoch) {
        return seed * 0x9E3779B97F4A7C15L + epoch;
    }
}
