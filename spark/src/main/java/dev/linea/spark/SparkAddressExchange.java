package dev.linea.spark;

import dev.linea.distributed.AddressExchange;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.BarrierTaskContext;

/**
 * The ranks of a barrier stage learn each other's addresses through one
 * {@link BarrierTaskContext#allGather}: a call costs about a second (Spark polls), so it is used once, at
 * setup, never per step. Rank = partition id. The timeout is Spark's ({@code spark.barrier.sync.timeout}).
 */
final class SparkAddressExchange implements AddressExchange {
    private final BarrierTaskContext context;

    SparkAddressExchange(BarrierTaskContext context) {
        this.context = context;
    }

    @Override
    public List<InetSocketAddress> exchange(int rank, int worldSize, InetSocketAddress mine, Duration timeout)
            throws IOException {
        String[] all = context.allGather(mine.getAddress().getHostAddress() + " " + mine.getPort());
        if (all.length != worldSize) {
            throw new IOException("allGather returned " + all.length + " addresses for " + worldSize + " ranks");
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String a : all) {
            String[] hp = a.split(" ");
            out.add(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])));
        }
        return out;
    }
}
