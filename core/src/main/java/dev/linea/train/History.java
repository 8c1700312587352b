package dev.linea.train;

import dev.linea.io.TrainingProgress;

import java.util.List;

/**
 * What {@link Trainer#fit} did, as Keras's {@code History}: one result per epoch this call trained, where the run
 * stands at its end, and why it ended.
 *
 * @param epochs the results, in order
 * @param progress where the run stands: the next epoch and batch (checkpoint it to continue later)
 * @param reason why it ended
 */
public record History(List<EpochResult> epochs, TrainingProgress progress, StopReason reason) {
    /** Copies the results. */
    public History {
        epochs = List.copyOf(epochs);
    }

    /** The last epoch's result, or null when none finished. */
    public EpochResult last() {
        return epochs.isEmpty() ? null : epochs.getLast();
    }
}
