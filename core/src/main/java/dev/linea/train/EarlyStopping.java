package dev.linea.train;

import dev.linea.io.TrainingProgress;

/**
 * Ends a run when the validation loss has not improved for {@code patience} epochs, as Keras's
 * {@code EarlyStopping(monitor="val_loss", patience, min_delta)}: an epoch improves when its loss is below the
 * best so far minus {@code minDelta}. The count is the trainer's ({@link EpochResult#epochsWithoutImprovement()},
 * saved in each {@link TrainingProgress}), so a resumed run keeps counting. Pair it with
 * {@link ModelCheckpoint#best} to keep the best weights.
 */
public final class EarlyStopping implements Callback {
    private final int patience;
    private final double minDelta;

    /**
     * @param patience epochs without improvement before the run stops, at least 1
     * @param minDelta how much lower than the best a loss must be to count as better, {@code >= 0}
     */
    public EarlyStopping(int patience, double minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1, got " + patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("min_delta must be finite and >= 0, got " + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /** Epochs without improvement before the run stops. */
    public int patience() {
        return patience;
    }

    /** How much lower than the best a validation loss must be to count as an improvement. */
    public double minDelta() {
        return minDelta;
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult result, TrainingProgress next) {
        if (result.validation() == null) {
            throw new IllegalStateException("early stopping needs validation data: pass it to Trainer.fit");
        }
        if (result.epochsWithoutImprovement() >= patience) {
            trainer.stop(StopReason.EARLY_STOPPED);
        }
    }
}
