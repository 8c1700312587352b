package dev.linea.train;

import dev.linea.io.TrainingProgress;

/**
 * Code that {@link Trainer} runs at fixed points of its loop, as Keras's callbacks: progress bars, checkpoints,
 * early stopping, metrics files, divergence checks. Every method does nothing by default. Callbacks run in the
 * order they were given, and an exception thrown by one ends the run (the loop's data thread is closed first).
 *
 * <p>One step of the loop, with the hooks in order:
 * <pre>
 * onEpochBegin
 *   for each batch:  output = model(x); loss = lossFn(output, y)
 *                    onBatchLoss(loss)                       -- before anything changes
 *                    optimizer.zeroGrad(); loss.backward()
 *                    afterBackward                           -- the gradients are there
 *                    clip the gradient norm (if set); optimizer.step()
 *                    afterStep                               -- the parameters have moved
 *                    schedule.afterBatch(); onBatchEnd(running mean loss)
 *                    (a stop request here, mid-epoch: onInterrupted(progress) and the run returns)
 * evaluate on the validation data; onValidated(result)       -- before the result is used
 * schedule.afterEpoch(validation loss); onEpochEnd(result, progress)
 * onTrainEnd(history)
 * </pre>
 */
public interface Callback {
    /** Before the first epoch this run trains (after a resume, the epoch it continues). */
    default void onTrainBegin(Trainer trainer) {}

    /** At the start of {@code epoch} (from 1); {@link Trainer#batch()} says where a resumed epoch continues. */
    default void onEpochBegin(Trainer trainer, int epoch) {}

    /** The loss of the current batch ({@link Trainer#batch()}, from 1), before backward and the step. */
    default void onBatchLoss(Trainer trainer, float loss) {}

    /** After {@code loss.backward()}, before clipping and the optimizer's step. */
    default void afterBackward(Trainer trainer) {}

    /** After the optimizer's step. */
    default void afterStep(Trainer trainer) {}

    /** After a batch: the epoch's running mean loss and the examples trained on since this run (re)started it. */
    default void onBatchEnd(Trainer trainer, double meanLoss, long samples) {}

    /**
     * The run stops mid-epoch ({@link Trainer#stop()}): {@code progress} is where it stands, ready to checkpoint;
     * {@link Trainer#fit(dev.linea.data.DataLoader, dev.linea.data.SupervisedDataset, TrainingProgress)} with it
     * continues exactly. No other hook runs after this one but {@link #onTrainEnd}.
     */
    default void onInterrupted(Trainer trainer, TrainingProgress progress) {}

    /** The epoch's training and validation result, before the schedule or anything else uses it. */
    default void onValidated(Trainer trainer, EpochResult result) {}

    /**
     * The epoch is done and the schedule stepped: {@code next} is the progress to checkpoint (the next epoch,
     * batch 0). {@link Trainer#stop(StopReason)} from here ends the run after this epoch.
     */
    default void onEpochEnd(Trainer trainer, EpochResult result, TrainingProgress next) {}

    /** The run ended (finished, stopped or early-stopped; not when an exception ended it). */
    default void onTrainEnd(Trainer trainer, History history) {}

    /** An exception ends the run from inside an epoch (after the data thread is closed); it is rethrown after. */
    default void onAbort(Trainer trainer, RuntimeException e) {}
}
