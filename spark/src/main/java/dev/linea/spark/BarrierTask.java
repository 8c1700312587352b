package dev.linea.spark;

import java.io.Serializable;
import java.net.InetAddress;
import java.util.List;

import org.apache.spark.BarrierTaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The function each task of the barrier stage runs (there is no {@code JavaRDD.barrier()}, so it is a
 * serialisable Scala function for {@code rdd.barrier().mapPartitions}): rank = partition id, the address is
 * the executor's host as Spark knows it, and the result is that rank's {@link RankResult}.
 */
final class BarrierTask extends AbstractFunction1<Iterator<Integer>, Iterator<RankResult>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final SparkTrainJob job;

    BarrierTask(SparkTrainJob job) {
        this.job = job;
    }

    @Override
    public Iterator<RankResult> apply(Iterator<Integer> partition) {
        BarrierTaskContext context = BarrierTaskContext.get();
        int rank = context.partitionId();
        try {
            InetAddress host = InetAddress.getByName(host(context.getTaskInfos()[rank].address()));
            RankResult r = RankTraining.run(job, rank, new SparkAddressExchange(context), host, System.out);
            return CollectionConverters.asScala(List.of(r).iterator());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("rank " + rank + " of " + job.ranks() + ": " + e.getMessage(), e);
        }
    }

    /** The host of a task's {@code host} or {@code host:port} address. */
    static String host(String address) {
        int colon = address.lastIndexOf(':');
        return colon > 0 && address.indexOf(':') == colon ? address.substring(0, colon) : address;
    }
}
