package dev.linea.distributed;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs one body per rank, each on its own thread with its own process group over loopback. */
final class Ranks {
    interface Body<T> {
        T run(ProcessGroup group) throws Exception;
    }

    private Ranks() {}

    static <T> List<T> run(int worldSize, Body<T> body) throws Exception {
        return run(worldSize, Duration.ofSeconds(30), body);
    }

    static <T> List<T> run(int worldSize, Duration timeout, Body<T> body) throws Exception {
        return run(worldSize, timeout, Transport.AUTO, body);
    }

    static <T> List<T> run(int worldSize, Duration timeout, Transport transport, Body<T> body) throws Exception {
        LoopbackRendezvous rendezvous = new LoopbackRendezvous(worldSize);
        ExecutorService pool = Executors.newFixedThreadPool(worldSize);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < worldSize; r++) {
                int rank = r;
                futures.add(pool.submit(() -> {
                    try (ProcessGroup g = ProcessGroup.init(rank, worldSize, rendezvous, InetAddress.getLoopbackAddress(),
                            timeout, transport)) {
                        return body.run(g);
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
