package dev.linea.distributed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How the ranks of a {@link ProcessGroup} learn each other's addresses, once, before the first collective:
 * PyTorch's rendezvous ({@code init_method}). Each rank offers the address it listens on and receives every
 * rank's, indexed by rank. Implementations: {@link StaticAddresses} (a list known in advance),
 * {@link LoopbackRendezvous} (ranks that are threads of one JVM, for tests), and in {@code linea-spark} one
 * over Spark's {@code BarrierTaskContext.allGather}.
 */
public interface AddressExchange {
    /**
     * Publishes {@code mine} as rank {@code rank}'s address and returns all {@code worldSize} addresses,
     * element {@code r} being rank {@code r}'s, the same list on every rank.
     *
     * @throws IOException when the other ranks do not all arrive within {@code timeout}, or the exchange fails
     */
    List<InetSocketAddress> exchange(int rank, int worldSize, InetSocketAddress mine, Duration timeout)
            throws IOException;
}
