package dev.linea.train;

/**
 * What one epoch gave, as Keras's epoch logs.
 *
 * @param epoch the epoch, from 1
 * @param trainLoss the mean training loss over the epoch's examples (each batch's mean loss weighted by its size)
 * @param validation the evaluation on the validation data; null when the run has none
 * @param lr the learning rate of the epoch's last step (of the optimizer's first parameter group)
 * @param seconds training time of the epoch (a resumed epoch counts its time before the stop), evaluation excluded
 * @param samples examples trained on in the epoch
 * @param improved whether the validation loss beat the best before it by more than the minimum delta
 * @param bestLoss the best validation loss so far, this epoch's included (+∞ without validation)
 * @param epochsWithoutImprovement epochs since the best one (0 when this epoch improved)
 */
public record EpochResult(int epoch, double trainLoss, Evaluation validation, double lr, double seconds, long samples,
                          boolean improved, double bestLoss, int epochsWithoutImprovement) {

    /** The validation loss, NaN without validation data. */
    public double validationLoss() {
        return validation == null ? Double.NaN : validation.loss();
    }

    /** The validation accuracy, NaN without validation data or for outputs that are not class scores. */
    public double validationAccuracy() {
        return validation == null ? Double.NaN : validation.accuracy();
    }
}
