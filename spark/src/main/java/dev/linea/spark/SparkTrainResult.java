package dev.linea.spark;

import java.util.List;

/**
 * The outcome of {@link SparkTrainer#train}: every rank's report of the attempt that finished.
 *
 * @param ranks    the ranks' results, by rank; all have the same {@link RankResult#fingerprint()}
 * @param restarts how many failed stages were resubmitted before this one finished
 * @param seconds  wall time on the driver, restarts included
 */
public record SparkTrainResult(List<RankResult> ranks, int restarts, double seconds) {
    public SparkTrainResult {
        ranks = List.copyOf(ranks);
    }

    /** Rank 0's result: the run's result (the model it saved, the accuracy every rank agrees on). */
    public RankResult rank0() {
        return ranks.getFirst();
    }
}
