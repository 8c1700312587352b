package dev.linea.cli.train;

import dev.linea.Generator;
import dev.linea.data.DataLoader;
import dev.linea.data.Shift;
import dev.linea.io.TrainingProgress;
import dev.linea.models.ModelCard;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Module;
import dev.linea.optim.Optimizer;
import dev.linea.train.Callback;
import dev.linea.train.CsvLogger;
import dev.linea.train.DivergenceStop;
import dev.linea.train.EarlyStopping;
import dev.linea.train.EpochResult;
import dev.linea.train.History;
import dev.linea.train.ModelCheckpoint;
import dev.linea.train.ProgressBar;
import dev.linea.train.StopReason;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * {@code linea train}'s face over the library's {@link dev.linea.train.Trainer}: the run folder's callbacks
 * (progress, divergence stop, metrics.csv, best and last checkpoints, pictures, early stopping), the settings
 * turned into the loop's options, and the command line's messages.
 *
 * <p>Reproducibility: the DataLoader's batch order of epoch e comes from (seed, e), and the global generator (Dropout,
 * augmentation) is reseeded from (seed, e) at the start of each epoch and saved in the checkpoint, so a run stopped
 * and resumed — even mid-epoch — ends with the same weights as an uninterrupted one.
 *
 * <p>Divergence: {@link DivergenceStop} checks every loss, gradient and parameter and everything before a save;
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
    private final RunData data;
    private final PrintStream out;
    private volatile boolean stopRequested;
    private volatile dev.linea.train.Trainer loop;
    /** Runs after each backward, before the gradients are checked (tests poison a gradient with it). */
    private Consumer<Module> afterBackward = m -> { };
    private final CountDownLatch stopped = new CountDownLatch(1);

    Trainer(TrainSettings settings, Path runDir, Module model, Optimizer optimizer, Schedule schedule, RunData data,
            PrintStream out) {
        this.schedule = schedule;
        this.settings = settings;
        this.card = Training.card(settings);
        this.runDir = runDir;
        this.model = model;
        this.optimizer = optimizer;
        this.data = data;
        this.out = out;
    }

    /** Asks the loop to stop after the current batch and save (Ctrl-C). */
    void requestStop() {
        stopRequested = true;
        dev.linea.train.Trainer l = loop;
        if (l != null) {
            l.stop();
        }
    }

    /** For tests: {@code hook} sees the model after each {@code backward()}, before the checks. */
    void afterBackward(Consumer<Module> hook) {
        afterBackward = hook;
    }

    /** Waits (bounded) until the loop has saved after a stop request. */
    void awaitStopped(long millis) throws InterruptedException {
        stopped.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Runs from {@code state} to the last epoch (or an early stop, or a stop request). Returns the final state. */
    TrainingProgress run(TrainingProgress state, CsvLogger metrics) throws IOException {
        ModelCheckpoint last = ModelCheckpoint.last(runDir.resolve(RunFiles.MODEL), runDir.resolve(RunFiles.STATE),
                card);
        if (Files.exists(runDir.resolve(RunFiles.STATE))) {
            last.saved(state); // a resumed run starts from the checkpoint on disk; a new one has none yet
        }
        List<Callback> callbacks = new ArrayList<>();
        callbacks.add(new Callback() {
            @Override
            public void afterBackward(dev.linea.train.Trainer t) {
                afterBackward.accept(model);
            }
        });
        callbacks.add(new ProgressBar(out));
        callbacks.add(new DivergenceStop(data.classNames().size()));
        // The epoch's row, the best and the last weights first, the checkpoint last: a kill in between leaves a
        // row the checkpoint has not reached, which resume drops before training that epoch again (never a
        // checkpoint past its row, which could not be recomputed).
        callbacks.add(metrics);
        if (settings.earlyStopping() > 0) {
            callbacks.add(ModelCheckpoint.best(runDir.resolve(RunFiles.BEST), card));
        }
        callbacks.add(last);
        callbacks.add(new Callback() {
            @Override
            public void onEpochEnd(dev.linea.train.Trainer t, EpochResult result, TrainingProgress next) {
                try {
                    Pictures.write(runDir, model, metrics, result.validation(), data, out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        if (settings.earlyStopping() > 0) {
            callbacks.add(new EarlyStopping(settings.earlyStopping(), 0));
        }
        callbacks.add(messages());
        var builder = dev.linea.train.Trainer.builder(model, optimizer, new CrossEntropyLoss())
                .epochs(settings.epochs()).scheduling(schedule).clipGradNorm(settings.clipGradNorm())
                .seed(settings.seed()).callbacks(callbacks.toArray(Callback[]::new));
        if (settings.augmentShift() > 0) {
            // Drawn from the global generator, which the checkpoint saves: resuming repeats the shifts.
            float background = -settings.mean() / settings.std();
            builder.inputTransform(x -> Shift.random(x, settings.augmentShift(), background, Generator.global()));
        }
        dev.linea.train.Trainer l = builder.build();
        loop = l;
        if (stopRequested) {
            l.stop();
        }
        DataLoader loader = DataLoader.builder(data.train()).batchSize(settings.batchSize()).shuffle(true)
                .seed(settings.seed()).build();
        try {
            return l.fit(loader, data.test(), state).progress();
        } catch (dev.linea.train.TrainingDiverged e) {
            throw diverged(e, last.lastSaved());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            stopped.countDown();
        }
    }

    /** The command line's lines when a run stops: mid-epoch, after an epoch, or early. */
    private Callback messages() {
        return new Callback() {
            @Override
            public void onInterrupted(dev.linea.train.Trainer t, TrainingProgress p) {
                out.printf(Locale.ROOT, "%nStopped at epoch %d, batch %d/%d; checkpoint saved in %s%n"
                        + "Resume with: ./linea train --resume %s%n", p.epoch(), p.batch(), t.batchesPerEpoch(), runDir,
                        runDir);
            }

            @Override
            public void onTrainEnd(dev.linea.train.Trainer t, History h) {
                TrainingProgress p = h.progress();
                if (h.reason() == StopReason.EARLY_STOPPED) {
                    int bad = p.badEpochs();
                    out.printf(Locale.ROOT, "Early stopping: the test loss has not improved for %d epoch%s (best %.4f); "
                            + "the best weights are in %s%n", bad, bad == 1 ? "" : "s", p.bestLoss(),
                            runDir.resolve(RunFiles.BEST));
                } else if (h.reason() == StopReason.STOPPED && p.batch() == 0) {
                    out.printf(Locale.ROOT, "Stopped after epoch %d; checkpoint saved. Resume with: ./linea train "
                            + "--resume %s%n", p.epoch() - 1, runDir);
                }
            }
        };
    }

    /** The library's divergence, with what the run folder keeps and what to do about it: one line. */
    private TrainingDiverged diverged(dev.linea.train.TrainingDiverged e, TrainingProgress saved) {
        StringBuilder m = new StringBuilder(e.getMessage()).append(". ");
        Path state = runDir.resolve(RunFiles.STATE);
        if (saved == null) {
            m.append("Nothing was saved: no epoch had been checkpointed yet. ");
        } else {
            m.append("Nothing non-finite was written: the last good checkpoint (")
                    .append(saved.batch() == 0 ? "after epoch " + (saved.epoch() - 1)
                            : "epoch " + saved.epoch() + ", batch " + saved.batch())
                    .append(") is kept in ").append(state).append("; ./linea train --resume ").append(runDir)
                    .append(" continues from it, repeating the same steps. ");
        }
        m.append("To get past this, train anew with a --lr below ").append(settings.lr());
        if (settings.clipGradNorm() == 0) {
            m.append(" or with --clip-grad-norm 1");
        }
        return new TrainingDiverged(m.toString());
    }
}
