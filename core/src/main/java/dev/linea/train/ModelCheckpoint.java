package dev.linea.train;

import dev.linea.io.Checkpoint;
import dev.linea.io.Checkpoints;
import dev.linea.io.TrainingProgress;
import dev.linea.models.ModelCard;
import dev.linea.models.Models;

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
 * With a {@link ModelCard}, the weights files carry it ({@link Models#save}): {@link Models#load} and the
 * {@code Predictor} rebuild the model from them alone. An I/O error ends the run as an
 * {@link UncheckedIOException}.
 */
public final class ModelCheckpoint implements Callback {
    private final Path weights;
    private final Path state;
    private final boolean bestOnly;
    private final ModelCard card;
    private TrainingProgress saved;

    private ModelCheckpoint(Path weights, Path state, boolean bestOnly, ModelCard card) {
        this.weights = Objects.requireNonNull(weights);
        this.state = state;
        this.bestOnly = bestOnly;
        this.card = card;
    }

    /** The latest weights in {@code weights} and the checkpoint to resume from in {@code state}. */
    public static ModelCheckpoint last(Path weights, Path state) {
        return new ModelCheckpoint(weights, Objects.requireNonNull(state), false, null);
    }

    /** As {@link #last(Path, Path)}, the weights file carrying {@code card}. */
    public static ModelCheckpoint last(Path weights, Path state, ModelCard card) {
        return new ModelCheckpoint(weights, Objects.requireNonNull(state), false, Objects.requireNonNull(card));
    }

    /** The weights of the best epoch so far (lowest validation loss) in {@code weights}. */
    public static ModelCheckpoint best(Path weights) {
        return new ModelCheckpoint(weights, null, true, null);
    }

    /** As {@link #best(Path)}, the weights file carrying {@code card}. */
    public static ModelCheckpoint best(Path weights, ModelCard card) {
        return new ModelCheckpoint(weights, null, true, Objects.requireNonNull(card));
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
                saveWeights(trainer);
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
            saveWeights(trainer);
            Checkpoints.save(state, Checkpoint.of(trainer.model(), trainer.optimizer(), progress));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        saved = progress;
    }

    private void saveWeights(Trainer trainer) throws IOException {
        if (card != null) {
            Models.save(weights, trainer.model(), card);
        } else {
            Checkpoints.saveModel(weights, trainer.model());
        }
    }
}
