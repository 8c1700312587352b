package dev.linea.spark;

import dev.linea.distributed.Transport;
import java.io.Serializable;

/**
 * What one rank reports when its training loop ends.
 *
 * @param rank           the rank
 * @param fingerprint    a hash of the exact bits of the replica's parameters
 *                       ({@code DistributedDataParallel.fingerprint}): equal on every rank when the replicas stayed
 *                       identical (buffers such as BatchNorm's running statistics are per rank and not included)
 * @param startEpoch     the epoch the loop started in (above 1 when it resumed from a checkpoint)
 * @param startBatch     the batch of that epoch it started at
 * @param steps          optimizer steps this attempt took
 * @param trainLoss      the mean training loss of the last epoch, over all ranks' examples
 * @param testLoss       the mean test loss over the whole test split
 * @param testAccuracy   the fraction of the test split classified correctly
 * @param seconds        wall time of the loop
 * @param transport      how the ranks exchanged gradients: {@code SHARED_MEMORY} when all were on one machine,
 *                       else {@code TCP}
 */
public record RankResult(int rank, long fingerprint, int startEpoch, int startBatch,
                         int steps, double trainLoss, double testLoss, double testAccuracy, double seconds,
                         Transport transport)
        implements Serializable {}
