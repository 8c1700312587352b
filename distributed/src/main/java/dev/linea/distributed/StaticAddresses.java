package dev.linea.distributed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Addresses fixed in advance (a host file, a job scheduler's environment): rank {@code r} listens on
 * {@code addresses.get(r)}. {@link ProcessGroup} binds the port of its own entry, so every port must be free.
 */
public final class StaticAddresses implements AddressExchange {
    private final List<InetSocketAddress> addresses;

    /** @throws IllegalArgumentException when the list is empty or an address has no port */
    public StaticAddresses(List<InetSocketAddress> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("StaticAddresses needs at least one address");
        }
        for (int r = 0; r < addresses.size(); r++) {
            if (addresses.get(r).getPort() <= 0) {
                throw new IllegalArgumentException("address of rank " + r + " has no port: " + addresses.get(r));
            }
        }
        this.addresses = List.copyOf(addresses);
    }

    /** The address rank {@code rank} must listen on. */
    public InetSocketAddress addressOf(int rank) {
        return addresses.get(rank);
    }

    @Override
    public List<InetSocketAddress> exchange(int rank, int worldSize, InetSocketAddress mine, Duration timeout)
            throws IOException {
        if (worldSize != addresses.size()) {
            throw new IllegalArgumentException("world size " + worldSize + " but " + addresses.size()
                    + " static addresses");
        }
        return addresses;
    }
}
