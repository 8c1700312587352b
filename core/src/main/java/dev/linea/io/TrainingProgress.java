package dev.linea.io;

import dev.linea.Generator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a training run stands, saved in a {@link Checkpoint} beside the weights and the optimizer's state,
 * so that a run stopped anywhere — even mid-epoch — continues exactly. A fresh run is {@link #start()}.
 *
 * @param epoch the epoch to run next, counted from 1
 * @param batch how many batches of that epoch are done (0: the epoch starts afresh)
 * @param lossSum the sum over those batches of (mean batch loss × batch size)
 * @param seen how many examples those batches held, so {@code lossSum / seen} is the epoch's running loss
 * @param seconds training time spent in that epoch so far
 * @param generator the global generator's {@link Generator#state()} at the stop (it draws dropout masks and
 *                  augmentations), or null when not saved
 * @param bestLoss the best validation loss so far (+∞ before the first), for early stopping
 * @param badEpochs epochs since {@code bestLoss} last improved
 * @param scheduler the learning-rate schedule's {@code stateDict()} (numbers, lists, maps); empty for none
 */
public record TrainingProgress(int epoch, int batch, double lossSum, long seen, double seconds, long[] generator,
                               double bestLoss, int badEpochs, Map<String, Object> scheduler) {

    /**
     * @throws IllegalArgumentException naming the field and its value when one is out of range, or when
     *                                  {@code generator} is not a state {@link Generator#setState} accepts
     */
    public TrainingProgress {
        if (epoch < 1 || batch < 0 || seen < 0 || badEpochs < 0) {
            throw new IllegalArgumentException("progress out of range: epoch " + epoch + " (must be >= 1), batch "
                    + batch + ", seen " + seen + ", bad epochs " + badEpochs + " (must be >= 0)");
        }
        if (generator != null) {
            generator = generator.clone();
            new Generator(0).setState(generator); // the generator's own check, so both agree on what is valid
        }
        scheduler = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(scheduler, "scheduler")));
    }

    /** A run about to begin: epoch 1, batch 0, no best loss yet, no generator or schedule state. */
    public static TrainingProgress start() {
        return new TrainingProgress(1, 0, 0, 0, 0, null, Double.POSITIVE_INFINITY, 0, Map.of());
    }

    /** A copy of the generator state (the array is not shared), or null. */
    @Override
    public long[] generator() {
        return generator == null ? null : generator.clone();
    }
}
