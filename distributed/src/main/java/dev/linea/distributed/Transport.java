package dev.linea.distributed;

/**
 * How a {@link ProcessGroup}'s ranks exchange data. The results are the same bits either way.
 */
public enum Transport {
    /**
     * Shared memory when every rank can map one file that rank 0 creates in {@code /dev/shm} (all ranks on one
     * machine: several executors of a host, or threads), else the TCP ring. The default; the system property
     * {@code linea.distributed.transport} ({@code auto}, {@code tcp} or {@code shm}) overrides it.
     */
    AUTO,
    /** The TCP ring, always. */
    TCP,
    /** Shared memory; {@code init} fails, naming the rank, when one cannot map the file. */
    SHARED_MEMORY;

    /** The transport the system property {@code linea.distributed.transport} names, {@link #AUTO} when unset. */
    static Transport fromProperty() {
        String v = System.getProperty("linea.distributed.transport", "auto");
        return switch (v) {
            case "auto" -> AUTO;
            case "tcp" -> TCP;
            case "shm" -> SHARED_MEMORY;
            default -> throw new IllegalArgumentException("linea.distributed.transport must be auto, tcp or shm, got '"
                    + v + "'");
        };
    }
}
