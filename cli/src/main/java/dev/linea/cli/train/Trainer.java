package dev.linea.cli.train;

import dev.linea.Generator;
import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.data.Batch;
import dev.linea.data.DataLoader;
import dev.linea.data.ImageDataset;
import dev.linea.data.Shift;
import dev.linea.io.Checkpoint;
import dev.linea.io.Checkpoints;
import dev.linea.internal.io.Json;
import dev.linea.io.TrainingProgress;
import dev.linea.models.ModelCard;
import dev.linea.models.Models;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Module;
import dev.linea.optim.Optimizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The training loop of {@code linea train}: epochs of shuffled mini-batches, evaluation on the test set
 * after each epoch, metrics, pictures and an atomic checkpoint of everything needed to resume exactly.
 *
 * <p>Reproducibility: the DataLoader's batch order of epoch e comes from (seed, e), and the global generator (Dropout)
 * is reseeded from (seed, e) at the start of each epoch and saved in the checkpoint, so a run stopped and
 * resumed — even mid-epoch — ends with the same weights as an uninterrupted one.
 *
 * <p>Divergence: {@link Divergence} checks every loss, gradient and parameter and everything before a save;
 * a non-finite or exploded value ends the run with {@link TrainingDiverged}, the last finite checkpoint kept.
 */
public final class Trainer {
    private final TrainSettings settings;
    /** Written into every model file, so it describes itself (Models.load, Predictor). */
    private final ModelCard card;
    private final Path runDir;
    private final Module model;
    private final Optimizer optimizer;
    private final Schedule schedule;
    private final ImageDataset train;
    private final ImageDataset test;
    private final PrintStream out;
    private final CrossEntropyLoss criterion = new CrossEntropyLoss();
    private volatile boolean stopRequested;
    private Divergence guard;
    /** Runs after each backward, before the gradients are checked (tests poison a gradient with it). */
    private java.util.function.Consumer<Module> afterBackward = m -> { };
    private final CountDownLatch stopped = new CountDownLatch(1);

    Trainer(TrainSettings settings, Path runDir, Module model, Optimizer optimizer, Schedule schedule, ImageDataset train,
            ImageDataset test, PrintStream out) {
        this.schedule = schedule;
        this.settings = settings;
        this.card = Training.card(settings);
        this.runDir = runDir;
        this.model = model;
        this.optimizer = optimizer;
        this.train = train;
        this.test = test;
        this.out = out;
    }

    /** Asks the loop to stop after the current batch and save (Ctrl-C). */
    void requestStop() {
        stopRequested = true;
    }

    /** For tests: {@code hook} sees the model after each {@code backward()}, before the checks. */
    void afterBackward(java.util.function.Consumer<Module> hook) {
        afterBackward = hook;
    }

    /** Waits (bounded) until the loop has saved after a stop request. */
    void awaitStopped(long millis) throws InterruptedException {
        stopped.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Runs from {@code state} to the last epoch (or an early stop, or a stop request). Returns the final state. */
    TrainingProgress run(TrainingProgress state, Metrics metrics) throws IOException {
        try {
            return loop(state, metrics);
        } finally {
            stopped.countDown();
        }
    }

    private TrainingProgress loop(TrainingProgress state, Metrics metrics) throws IOException {
        int n = train.size();
        DataLoader loader = DataLoader.builder(train).batchSize(settings.batchSize()).shuffle(true)
                .seed(settings.seed()).build();
        int batches = loader.numBatches();
        boolean live = Progress.terminal();
        // A resumed run starts from the checkpoint on disk; a new one has none yet.
        guard = new Divergence(settings, runDir, model, optimizer, test.classNames().size(),
                java.nio.file.Files.exists(runDir.resolve(RunFiles.STATE)) ? state : null);
        for (int epoch = state.epoch(); epoch <= settings.epochs(); epoch++) {
            if (state.batch() == 0) {
                Linea.manualSeed(mix(settings.seed(), epoch));
            } else {
                Generator.global().setState(state.generator());
            }
            long t0 = System.nanoTime();
            double lossSum = state.lossSum();
            long seen = state.seen();
            double seconds = state.seconds();
            Progress progress = new Progress(out, live, epoch, settings.epochs(), batches);
            model.train();
            DataLoader.Batches epochBatches = loader.epoch(epoch - 1, state.batch());
            for (int b = state.batch(); b < batches; b++) {
                Batch batch = epochBatches.next();
                int size = batch.size();
                Tensor x = batch.inputs();
                if (settings.augmentShift() > 0) {
                    // Drawn from the global generator, which the checkpoint saves: resuming repeats the shifts.
                    x = Shift.random(x, settings.augmentShift(), -settings.mean() / settings.std(), Generator.global());
                }
                Tensor loss = criterion.forward(model.forward(x), batch.targets());
                float value = loss.item();
                try {
                    guard.loss(value, epoch, b + 1, batches);
                    optimizer.zeroGrad();
                    loss.backward();
                    afterBackward.accept(model);
                    if (settings.clipGradNorm() > 0) {
                        guard.gradients(epoch, b + 1, batches);
                    }
                    schedule.clip(model);
                    optimizer.step();
                    guard.parameters(epoch, b + 1, batches);
                } catch (TrainingDiverged e) {
                    epochBatches.close();
                    progress.finish();
                    throw e;
                }
                schedule.afterBatch();
                lossSum += value * size;
                seen += size;
                progress.update(b + 1, lossSum / seen, seen - state.seen());
                if (stopRequested && b + 1 < batches) {
                    epochBatches.close();
                    progress.finish();
                    double elapsed = seconds + (System.nanoTime() - t0) / 1e9;
                    TrainingProgress paused = new TrainingProgress(epoch, b + 1, lossSum, seen, elapsed,
                            Generator.global().state(), state.bestLoss(), state.badEpochs(), schedulerState());
                    save(paused, String.format(Locale.ROOT, "at epoch %d, batch %d of %d (stopping)", epoch, b + 1,
                            batches));
                    out.printf(Locale.ROOT, "%nStopped at epoch %d, batch %d/%d; checkpoint saved in %s%n"
                            + "Resume with: ./linea train --resume %s%n", epoch, b + 1, batches, runDir, runDir);
                    return paused;
                }
            }
            progress.finish();
            double elapsed = seconds + (System.nanoTime() - t0) / 1e9;
            Evaluation eval = Evaluation.of(model, test);
            guard.testLoss(eval.loss(), epoch);
            double trainLoss = lossSum / seen;
            metrics.add(epoch, trainLoss, eval.loss(), eval.accuracy(), elapsed);
            schedule.afterEpoch(eval.loss());
            boolean improved = eval.loss() < state.bestLoss();
            double best = improved ? eval.loss() : state.bestLoss();
            int bad = improved ? 0 : state.badEpochs() + 1;
            out.printf(Locale.ROOT, "Epoch %d/%d  train loss %.4f  test loss %.4f  test accuracy %.2f%%  (%.1f s, %,.0f samples/s)%n",
                    epoch, settings.epochs(), trainLoss, eval.loss(), eval.accuracy() * 100, elapsed, n / Math.max(elapsed, 1e-9));
            state = new TrainingProgress(epoch + 1, 0, 0, 0, 0, Generator.global().state(), best, bad, schedulerState());
            String when = "after epoch " + epoch;
            guard.beforeSave(when); // before anything is written: nothing non-finite goes over a finite checkpoint
            // The epoch's row, the best and the last weights first, the checkpoint last: a kill in between
            // leaves a row the checkpoint has not reached, which resume drops before training that epoch again
            // (never a checkpoint past its row, which could not be recomputed).
            metrics.save(runDir);
            if (improved && settings.earlyStopping() > 0) {
                Models.save(runDir.resolve(RunFiles.BEST), model, card);
            }
            writeCheckpoint(state);
            Pictures.write(runDir, model, metrics, eval, test, out);
            if (settings.earlyStopping() > 0 && bad >= settings.earlyStopping()) {
                out.printf(Locale.ROOT, "Early stopping: the test loss has not improved for %d epoch%s (best %.4f); "
                        + "the best weights are in %s%n", bad, bad == 1 ? "" : "s", best, runDir.resolve(RunFiles.BEST));
                break;
            }
            if (stopRequested && epoch < settings.epochs()) {
                out.printf(Locale.ROOT, "Stopped after epoch %d; checkpoint saved. Resume with: ./linea train --resume %s%n",
                        epoch, runDir);
                break;
            }
        }
        return state;
    }

    /**
     * Writes the weights alone for PyTorch and {@code linea eval}, then the checkpoint to resume from. Each file
     * is replaced atomically, and the checkpoint goes last: a kill before it leaves the previous checkpoint, from
     * which resume computes the same weights again; a kill after it leaves nothing behind the checkpoint (were
     * the model written second, a kill between the two would leave a finished run with the previous weights).
     */
    private void writeCheckpoint(TrainingProgress progress) throws IOException {
        Models.save(runDir.resolve(RunFiles.MODEL), model, card);
        Checkpoints.save(runDir.resolve(RunFiles.STATE), Checkpoint.of(model, optimizer, progress));
        guard.saved(progress);
    }

    /** {@link #writeCheckpoint} after checking that everything it holds is finite ({@code when}: for the message). */
    private void save(TrainingProgress progress, String when) throws IOException {
        guard.beforeSave(when); // nothing non-finite is ever written over a finite checkpoint
        writeCheckpoint(progress);
    }

    /** The schedule's state dict (Schedule hands it over as the JSON its {@code load} takes back). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> schedulerState() {
        try {
            return (Map<String, Object>) Json.parseWritten(schedule.state());
        } catch (Json.ParseException e) {
            throw new IllegalStateException("the schedule wrote invalid JSON: " + e.getMessage(), e);
        }
    }

    static long mix(long seed, int epoch) {
        return seed * 0x9E3779B97F4A7C15L + epoch;
    }
}
