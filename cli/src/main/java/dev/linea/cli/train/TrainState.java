package dev.linea.cli.train;

/**
 * Where a run stands: the next epoch and batch to run, the running loss of the current epoch, the
 * global generator's state, early-stopping bookkeeping and the scheduler's state. Saved with every
 * checkpoint; a fresh run starts at epoch 1, batch 0.
 */
record TrainState(int epoch, int batch, double lossSum, long seen, double seconds, long[] generator,
                  double bestTestLoss, int badEpochs, String scheduler) {

    static TrainState fresh() {
        return new TrainState(1, 0, 0, 0, 0, null, Double.POSITIVE_INFINITY, 0, "");
    }
}
