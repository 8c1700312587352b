package dev.linea.train;

import dev.linea.io.Checkpoint;
import dev.linea.io.Checkpoints;
import dev.linea.io.TrainingProgress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Saves the model while it trains, each file replaced atomically ({@link Checkpoints}):
 * <ul>
 * <li>{@link #last(Path, Path)}: after every epoch and when the run is stopped mid-epoch, the weights alone
 *     (a PyTorch state dict) and then the whole checkpoint — weights, optimizer state and the
 *     {@link TrainingProgress} — that {@link Checkpoints#resume} and {@link Trainer#fit(dev.linea.data.DataLoader,
 *     dev.linea.data.SupervisedDataset, TrainingProgress)} continue from. The checkpoint goes last: a kill between
 *     the two leaves the previous checkpoint, from which resuming computes the same weights again.</li>
 * <li>{@link #best(Path)}: the weights of each epoch whose validation loss improved (Keras's
 *     {@code save_best_only}).</li>
 * </ul>
 * An I/O error ends the run as an {@link UncheckedIOException}.
 */
public final class ModelCheckpoint implements Callback {
    private final Path weights;
    private final Path state;
    private final boolean bestOnly;
    private TrainingProgress saved;

    private ModelCheckpoint(Path weights, Path state, boolean bestOnly) {
        this.weights = Objects.requireNonNull(weights);
        this.state = state;
        this.bestOnly = bestOnly;
    }

    /** The latest weights in {@code weights} and the checkpoint to resume from in {@code state}. */
    public static ModelCheckpoint last(Path weights, Path state) {
        return new ModelCheckpoint(weights, Objects.requireNonNull(state), false);
    }

    /** The weights of the best epoch so far (lowest validation loss) in {@code weights}. */
    public static ModelCheckpoint best(Path weights) {
        return new ModelCheckpoint(weights, null, true);
    }

    /** The progress of the last checkpoint this wrote, or of the one {@link #saved(TrainingProgress)} says is there. */
    public TrainingProgress lastSaved() {
        return saved;
    }

    /** Says that {@code progress}'s checkpoint is already on disk (a resumed run's). */
    public void saved(TrainingProgress progress) {
        this.saved = progress;
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult result, TrainingProgress next) {
        if (!bestOnly) {
            save(trainer, next);
        } else if (result.improved()) {
            try {
                Checkpoints.saveModel(weights, trainer.model());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void onInterrupted(Trainer trainer, TrainingProgress progress) {
        if (!bestOnly) {
            save(trainer, progress);
        }
    }

    private void save(Trainer trainer, TrainingProgress progress) {
        try {
            Checkpoints.saveModel(weights, trainer.model());
            Checkpoints.save(state, Checkpoint.of(trainer.model(), trainer.optimizer(), progress));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        saved = progress;
    }
}
