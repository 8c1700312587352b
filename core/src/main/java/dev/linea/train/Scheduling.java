package dev.linea.train;

import dev.linea.optim.lr.LRScheduler;
import dev.linea.optim.lr.ReduceLROnPlateau;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * When {@link Trainer} steps a learning-rate schedule, and the schedule's state for checkpoints: a per-epoch
 * scheduler after each epoch (PyTorch's usual {@code scheduler.step()} after the epoch), a per-batch one
 * ({@code OneCycleLR}) after each optimizer step, {@code ReduceLROnPlateau} after each epoch with the
 * validation loss.
 */
public interface Scheduling {
    /** After each optimizer step. */
    default void afterBatch() {}

    /** After each epoch, with its validation loss (NaN without validation data). */
    default void afterEpoch(double validationLoss) {}

    /** The schedule's state dict, saved in the {@link dev.linea.io.TrainingProgress} of checkpoints. */
    default Map<String, Object> stateDict() {
        return new LinkedHashMap<>();
    }

    /** No schedule: a constant learning rate. */
    static Scheduling none() {
        return new Scheduling() {};
    }

    /** {@code scheduler.step()} after each epoch. */
    static Scheduling perEpoch(LRScheduler scheduler) {
        Objects.requireNonNull(scheduler);
        return new Scheduling() {
            @Override
            public void afterEpoch(double validationLoss) {
                scheduler.step();
            }

            @Override
            public Map<String, Object> stateDict() {
                return scheduler.stateDict();
            }
        };
    }

    /** {@code scheduler.step()} after each optimizer step (one-cycle and other per-batch schedules). */
    static Scheduling perBatch(LRScheduler scheduler) {
        Objects.requireNonNull(scheduler);
        return new Scheduling() {
            @Override
            public void afterBatch() {
                scheduler.step();
            }

            @Override
            public Map<String, Object> stateDict() {
                return scheduler.stateDict();
            }
        };
    }

    /**
     * {@code plateau.step(validationLoss)} after each epoch.
     *
     * @throws IllegalArgumentException at the first epoch's end when the run has no validation data
     */
    static Scheduling onPlateau(ReduceLROnPlateau plateau) {
        Objects.requireNonNull(plateau);
        return new Scheduling() {
            @Override
            public void afterEpoch(double validationLoss) {
                if (Double.isNaN(validationLoss)) {
                    throw new IllegalArgumentException("the plateau scheduler needs a metric (e.g. validation loss), got NaN");
                }
                plateau.step(validationLoss);
            }

            @Override
            public Map<String, Object> stateDict() {
                return plateau.stateDict();
            }
        };
    }
}
