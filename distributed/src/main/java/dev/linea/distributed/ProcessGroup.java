package dev.linea.distributed;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A group of {@code worldSize} ranks (processes or threads) connected in a ring over TCP, with PyTorch's
 * collectives ({@code torch.distributed}): {@link #allReduce}, {@link #broadcast} and {@link #barrier} on
 * {@code float[]} buffers. Every rank calls the same collectives in the same order with buffers of the same
 * length; each call returns when this rank's part is done.
 *
 * <p><b>Setup</b> ({@link #init}): each rank listens on a port, the {@link AddressExchange} tells every rank
 * all addresses, then rank {@code r} connects to rank {@code r+1 (mod N)} and accepts rank {@code r-1}.
 *
 * <p><b>Allreduce</b> is the bandwidth-optimal ring (Patarasuk and Yuan; NCCL's and Gloo's ring): the buffer
 * is cut into {@code N} chunks, chunk {@code k} spanning {@code [k·L/N, (k+1)·L/N)}; in {@code N−1}
 * reduce-scatter steps each chunk travels once round the ring accumulating, then {@code N−1} allgather steps
 * copy the finished chunks to every rank. Each rank sends and receives {@code 2(N−1)/N × L} floats.
 * <b>The reduction order is fixed</b>: chunk {@code k} is summed left to right as
 * {@code ((x_k + x_{k+1}) + x_{k+2}) + … + x_{k−1}} (ranks mod N), by the topology alone, never by arrival
 * times, and the finished chunk is copied, not re-added, so every rank ends with bit-identical values and a
 * rerun gives the same bits. {@link ReduceOp#AVG} divides each finished chunk by {@code N} before it is copied.
 *
 * <p><b>Ranks on one machine</b> ({@link Transport#AUTO}, the default): when every rank can map one file that
 * rank 0 creates in {@code /dev/shm}, the collectives run through it ({@link SharedMemoryRing}) with the same
 * bits, and the TCP connections only watch for a peer that dies. {@link #transport()} says which is in use.
 *
 * <p><b>Failures</b>: a read that sees nothing for {@code timeout}, a closed connection or a failed write ends
 * the collective with a {@link PeerFailureException} naming the peer; the group then closes its sockets, so
 * the failure reaches the rest of the ring at once instead of after their timeouts. Over shared memory, a peer
 * that does not arrive within {@code timeout}, a closed connection to a neighbour, or a rank that gave up ends
 * it the same way.
 */
public final class ProcessGroup implements AutoCloseable {
    /** The timeout of {@link #init(int, int, AddressExchange)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final int MAGIC = 0x4C6E4450; // "LnDP"
    private static final int HEADER = 12;         // tag, collective sequence number, float count
    private static final int TAG_REDUCE = 1, TAG_GATHER = 2, TAG_BROADCAST = 3;

    private final int rank;
    private final int worldSize;
    private final Duration timeout;
    private final List<InetSocketAddress> addresses;
    private final Socket toNext;
    private final Socket fromPrev;
    private final OutputStream out;
    private final InputStream in;
    private final ExecutorService sender;
    private final SharedMemoryRing shm;
    /** Over shared memory: the first neighbour whose connection ended while the group was open, else -1. */
    private volatile int deadPeer = -1;
    private byte[] sendBytes = new byte[HEADER];
    private byte[] recvBytes = new byte[HEADER];
    private float[] recvFloats = new float[0];
    private int sequence;
    private volatile boolean closed;
    private volatile String failure;

    private ProcessGroup(int rank, int worldSize, Duration timeout, List<InetSocketAddress> addresses, Socket toNext,
                         Socket fromPrev, SharedMemoryRing shm) throws IOException {
        this.shm = shm;
        this.rank = rank;
        this.worldSize = worldSize;
        this.timeout = timeout;
        this.addresses = addresses;
        this.toNext = toNext;
        this.fromPrev = fromPrev;
        this.out = toNext == null ? null : toNext.getOutputStream();
        this.in = fromPrev == null ? null : fromPrev.getInputStream();
        this.sender = toNext == null || shm != null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "linea-pg-send-rank" + rank);
            t.setDaemon(true);
            return t;
        });
        if (shm != null) {
            watch(fromPrev, mod(rank - 1));
            watch(toNext, mod(rank + 1));
        }
    }

    /** {@link #init(int, int, AddressExchange, InetAddress, Duration)} on the loopback interface, 60 s timeout. */
    public static ProcessGroup init(int rank, int worldSize, AddressExchange exchange) throws IOException {
        return init(rank, worldSize, exchange, InetAddress.getLoopbackAddress(), DEFAULT_TIMEOUT);
    }

    /**
     * {@link #init(int, int, AddressExchange, InetAddress, Duration, Transport)} with the transport the system
     * property {@code linea.distributed.transport} names ({@code auto}, {@code tcp} or {@code shm}; default auto).
     */
    public static ProcessGroup init(int rank, int worldSize, AddressExchange exchange, InetAddress host,
                                    Duration timeout) throws IOException {
        return init(rank, worldSize, exchange, host, timeout, Transport.fromProperty());
    }

    /**
     * Joins the group as rank {@code rank} of {@code worldSize}: listens on {@code host} (an ephemeral port, or
     * the port {@link StaticAddresses} assigns this rank), exchanges addresses, connects the ring, and (unless
     * {@code transport} is {@link Transport#TCP}) tries the shared-memory transport. Blocks until both
     * neighbours are connected and every rank knows the transport.
     *
     * @param timeout how long setup may take, and how long any later read may wait for a peer
     * @throws IllegalArgumentException when {@code rank} is not in {@code [0, worldSize)} or the timeout is not positive
     * @throws IOException when a neighbour cannot be reached or accepted within the timeout, or when
     *                     {@link Transport#SHARED_MEMORY} is asked for and a rank cannot map the file
     */
    public static ProcessGroup init(int rank, int worldSize, AddressExchange exchange, InetAddress host,
                                    Duration timeout, Transport transport) throws IOException {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank must be in [0, worldSize), got rank " + rank + " of world size "
                    + worldSize);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        InetSocketAddress listen = exchange instanceof StaticAddresses s ? s.addressOf(rank)
                : new InetSocketAddress(host, 0);
        if (worldSize == 1) {
            return new ProcessGroup(0, 1, timeout, exchange.exchange(0, 1, listen, timeout), null, null, null);
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.setReceiveBufferSize(1 << 20);
            server.bind(listen, worldSize);
            InetSocketAddress mine = new InetSocketAddress(listen.getAddress(), server.getLocalPort());
            List<InetSocketAddress> all = List.copyOf(exchange.exchange(rank, worldSize, mine, timeout));
            if (all.size() != worldSize) {
                throw new IOException("address exchange returned " + all.size() + " addresses for " + worldSize + " ranks");
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            int next = (rank + 1) % worldSize, prev = (rank + worldSize - 1) % worldSize;
            Socket toNext = connect(all.get(next), next, deadline, timeout);
            Socket fromPrev = null;
            try {
                configure(toNext, millis);
                writeHandshake(toNext, rank, worldSize);
                server.setSoTimeout(millis);
                try {
                    fromPrev = server.accept();
                } catch (SocketTimeoutException e) {
                    throw new IOException("rank " + rank + ": rank " + prev + " (" + all.get(prev) + ") did not connect within "
                            + timeout.toMillis() + " ms", e);
                }
                configure(fromPrev, millis);
                checkHandshake(fromPrev, rank, prev, worldSize);
                SharedMemoryRing shm = transport == Transport.TCP ? null : SharedMemorySetup.agree(rank, worldSize,
                        transport == Transport.SHARED_MEMORY, toNext.getOutputStream(), fromPrev.getInputStream(), timeout);
                try {
                    return new ProcessGroup(rank, worldSize, timeout, all, toNext, fromPrev, shm);
                } catch (IOException | RuntimeException e) {
                    if (shm != null) {
                        shm.close();
                    }
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                closeQuietly(toNext);
                closeQuietly(fromPrev);
                throw e;
            }
        }
    }

    private static Socket connect(InetSocketAddress to, int peer, long deadline, Duration timeout) throws IOException {
        IOException last = null;
        while (System.nanoTime() < deadline) {
            Socket s = new Socket();
            try {
                s.connect(to, (int) Math.max(1, Math.min(Integer.MAX_VALUE, (deadline - System.nanoTime()) / 1_000_000)));
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                last = e;
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while connecting to rank " + peer, ie);
                }
            }
        }
        throw new IOException("could not connect to rank " + peer + " at " + to + " within " + timeout.toMillis()
                + " ms" + (last == null ? "" : ": " + last.getMessage()), last);
    }

    private static void configure(Socket s, int millis) throws IOException {
        s.setTcpNoDelay(true);
        s.setSoTimeout(millis);
        s.setSendBufferSize(1 << 20);
        s.setReceiveBufferSize(1 << 20);
    }

    private static void writeHandshake(Socket s, int rank, int worldSize) throws IOException {
        byte[] b = new byte[12];
        ByteBuffer.wrap(b).putInt(MAGIC).putInt(rank).putInt(worldSize);
        s.getOutputStream().write(b);
        s.getOutputStream().flush();
    }

    private static void checkHandshake(Socket s, int rank, int prev, int worldSize) throws IOException {
        byte[] b = new byte[12];
        readFully(s.getInputStream(), b, 12);
        ByteBuffer bb = ByteBuffer.wrap(b);
        int magic = bb.getInt(), from = bb.getInt(), size = bb.getInt();
        if (magic != MAGIC || from != prev || size != worldSize) {
            throw new IOException("rank " + rank + " expected rank " + prev + " of " + worldSize + " to connect, got "
                    + (magic != MAGIC ? "a connection that is not a Linea process group" : "rank " + from + " of " + size)
                    + " from " + s.getRemoteSocketAddress());
        }
    }

    /** This process's rank, {@code 0 <= rank < worldSize}. */
    public int rank() {
        return rank;
    }

    /** The number of ranks. */
    public int worldSize() {
        return worldSize;
    }

    /** The transport in use: {@link Transport#SHARED_MEMORY} or {@link Transport#TCP} (also for one rank). */
    public Transport transport() {
        return shm != null ? Transport.SHARED_MEMORY : Transport.TCP;
    }

    /** Every rank's listening address, by rank. */
    public List<InetSocketAddress> addresses() {
        return addresses;
    }

    /** Sums {@code buffer} elementwise over all ranks, in place: {@link #allReduce(float[], ReduceOp)} with SUM. */
    public void allReduce(float[] buffer) throws IOException {
        allReduce(buffer, ReduceOp.SUM);
    }

    /**
     * Replaces {@code buffer} on every rank by the elementwise reduction over all ranks, in the fixed order the
     * class comment gives; every rank gets the same bits.
     *
     * @throws PeerFailureException when a peer dies, hangs past the timeout, or sends a buffer of another length
     */
    public synchronized void allReduce(float[] buffer, ReduceOp op) throws IOException {
        checkOpen("allReduce");
        int n = worldSize, len = buffer.length;
        int seq = ++sequence;
        if (n == 1) {
            return; // a sum over one rank, and x / 1 == x
        }
        if (shm != null) {
            try {
                shm.allReduce(buffer, op == ReduceOp.AVG, seq, TAG_REDUCE, "allReduce", failures);
            } catch (IOException | RuntimeException e) {
                throw failed(e, "allReduce");
            }
            return;
        }
        try {
            // Reduce-scatter: step s sends chunk (r - s) and adds the incoming chunk (r - s - 1) into ours.
            for (int s = 0; s < n - 1; s++) {
                int sendChunk = mod(rank - s), recvChunk = mod(rank - s - 1);
                Future<?> sent = sendAsync(TAG_REDUCE, seq, buffer, start(sendChunk, len), start(sendChunk + 1, len));
                int from = start(recvChunk, len), to = start(recvChunk + 1, len);
                float[] incoming = receive(TAG_REDUCE, seq, to - from, "allReduce");
                for (int i = 0; i < to - from; i++) {
                    buffer[from + i] = incoming[i] + buffer[from + i]; // the earlier ranks' partial sum first
                }
                awaitSent(sent, "allReduce");
            }
            int done = mod(rank + 1); // the chunk this rank finished
            if (op == ReduceOp.AVG) {
                float size = n;
                for (int i = start(done, len), e = start(done + 1, len); i < e; i++) {
                    buffer[i] = buffer[i] / size;
                }
            }
            // Allgather: step s forwards chunk (r + 1 - s) and stores the incoming chunk (r - s).
            for (int s = 0; s < n - 1; s++) {
                int sendChunk = mod(rank + 1 - s), recvChunk = mod(rank - s);
                Future<?> sent = sendAsync(TAG_GATHER, seq, buffer, start(sendChunk, len), start(sendChunk + 1, len));
                int from = start(recvChunk, len), to = start(recvChunk + 1, len);
                float[] incoming = receive(TAG_GATHER, seq, to - from, "allReduce");
                System.arraycopy(incoming, 0, buffer, from, to - from);
                awaitSent(sent, "allReduce");
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
            throw e;
        }
    }

    /**
     * Copies rank {@code root}'s {@code buffer} into every rank's {@code buffer} (PyTorch's {@code broadcast}),
     * passed along the ring.
     */
    public synchronized void broadcast(float[] buffer, int root) throws IOException {
        checkOpen("broadcast");
        if (root < 0 || root >= worldSize) {
            throw new IllegalArgumentException("broadcast root must be in [0, " + worldSize + "), got " + root);
        }
        int seq = ++sequence;
        if (worldSize == 1) {
            return;
        }
        if (shm != null) {
            try {
                shm.broadcast(buffer, root, seq, TAG_BROADCAST, "broadcast", failures);
            } catch (IOException | RuntimeException e) {
                throw failed(e, "broadcast");
            }
            return;
        }
        try {
            if (rank != root) {
                float[] incoming = receive(TAG_BROADCAST, seq, buffer.length, "broadcast");
                System.arraycopy(incoming, 0, buffer, 0, buffer.length);
            }
            if (mod(rank + 1) != root) {
                awaitSent(sendAsync(TAG_BROADCAST, seq, buffer, 0, buffer.length), "broadcast");
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
            throw e;
        }
    }

    /** Returns once every rank has called {@code barrier} (over TCP, an allreduce of one float). */
    public synchronized void barrier() throws IOException {
        if (shm == null) {
            allReduce(new float[1], ReduceOp.SUM);
            return;
        }
        checkOpen("barrier");
        int seq = ++sequence;
        try {
            shm.barrier(seq, "barrier", failures);
        } catch (IOException | RuntimeException e) {
            throw failed(e, "barrier");
        }
    }

    /** Closes the sockets; peers in a collective with this rank fail at once with a {@link PeerFailureException}. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(toNext);
        closeQuietly(fromPrev);
        if (sender != null) {
            sender.shutdownNow();
        }
        if (shm != null) {
            shm.close();
        }
    }

    @Override
    public String toString() {
        return "ProcessGroup(rank=" + rank + ", worldSize=" + worldSize + ", backend="
                + (shm != null ? "shared-memory" : "tcp-ring") + ")";
    }

    // ---------------------------------------------------------------- shared memory

    /** What ends a shared-memory wait early, with the TCP transport's messages. */
    private final SharedMemoryRing.Failures failures = new SharedMemoryRing.Failures() {
        @Override
        public void check(String what) throws IOException {
            int dead = deadPeer;
            if (dead >= 0) {
                throw new PeerFailureException(dead, "rank " + rank + ": " + peer(dead) + " closed the connection during "
                        + what + ": it died or failed", null);
            }
            if (closed) {
                throw new IOException("rank " + rank + ": the process group was closed during " + what);
            }
        }

        @Override
        public IOException hung(int peer, String what) {
            return new PeerFailureException(peer, "rank " + rank + ": no data from " + peer(peer) + " for "
                    + timeout.toMillis() + " ms during " + what + ": it is hung or slower than the timeout", null);
        }

        @Override
        public IOException aborted(int peer, int reporter, String what) {
            return new PeerFailureException(peer, "rank " + rank + ": " + peer(peer) + " died or failed during " + what
                    + (peer == reporter ? "" : " (found by rank " + reporter + ")"), null);
        }

        @Override
        public IOException outOfStep(int peer, String what, int seq, int tag, int len, int theirSeq, int theirTag,
                                     int theirLen) {
            return new PeerFailureException(peer, "rank " + rank + ": " + peer(peer) + " is out of step in " + what
                    + " #" + seq + ": it called collective #" + theirSeq + " (tag " + theirTag + ") with " + theirLen
                    + " floats, this rank #" + seq + " (tag " + tag + ") with " + len + "; every rank must call the "
                    + "same collectives with buffers of the same length", null);
        }
    };

    private String peer(int r) {
        return "rank " + r + " (" + addresses.get(r) + ")";
    }

    /**
     * Watches a neighbour's connection, idle over shared memory: it ends (a read returns end of stream or fails)
     * when that process dies or closes its group, and the next wait fails naming it.
     */
    private void watch(Socket socket, int peer) throws IOException {
        InputStream s = socket.getInputStream();
        Thread.ofPlatform().daemon().name("linea-pg-watch-rank" + rank + "-peer" + peer).start(() -> {
            byte[] b = new byte[64];
            while (!closed) {
                try {
                    if (s.read(b) < 0) {
                        break;
                    }
                } catch (SocketTimeoutException idle) {
                    // quiet is normal: the collectives do not use the connection
                } catch (IOException e) {
                    break;
                }
            }
            if (!closed && deadPeer < 0) {
                deadPeer = peer;
            }
        });
    }

    /** Ends the group after a failed shared-memory collective, telling the other ranks; returns what to throw. */
    private IOException failed(Exception e, String what) {
        if (shm != null && !closed) {
            shm.abort(e instanceof PeerFailureException p ? p.peer() : rank);
        }
        fail(e);
        if (e instanceof IOException io) {
            return io;
        }
        if (e instanceof IllegalStateException && closed) {
            return new IOException("rank " + rank + ": the process group was closed during " + what, e);
        }
        throw (RuntimeException) e;
    }

    // ---------------------------------------------------------------- transport

    private int mod(int i) {
        return Math.floorMod(i, worldSize);
    }

    private int start(int k, int len) {
        return chunkStart(k, len, worldSize);
    }

    /**
     * Start of chunk {@code k} ({@code 0 <= k <= N}) of {@code len} floats cut into {@code worldSize}; boundaries
     * depend on (len, N) only. The shared-memory transport cuts by it too, to sum each element as the ring does.
     */
    static int chunkStart(int k, int len, int worldSize) {
        return (int) ((long) k * len / worldSize);
    }

    private Future<?> sendAsync(int tag, int seq, float[] src, int from, int to) {
        int count = to - from;
        int bytes = HEADER + 4 * count;
        if (sendBytes.length < bytes) {
            sendBytes = new byte[bytes];
        }
        byte[] b = sendBytes;
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(tag).putInt(seq).putInt(count);
        bb.asFloatBuffer().put(src, from, count);
        return sender.submit(() -> {
            out.write(b, 0, bytes);
            out.flush();
            return null;
        });
    }

    private void awaitSent(Future<?> sent, String what) throws IOException {
        int next = mod(rank + 1);
        try {
            sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new PeerFailureException(next, "rank " + rank + ": rank " + next + " (" + addresses.get(next)
                    + ") accepted no data for " + timeout.toMillis() + " ms during " + what
                    + ": it is hung or slower than the timeout", e);
        } catch (ExecutionException e) {
            throw new PeerFailureException(next, "rank " + rank + ": sending to rank " + next + " (" + addresses.get(next)
                    + ") failed during " + what + " (" + e.getCause().getMessage() + "): it died or closed its group",
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during " + what, e);
        }
    }

    private float[] receive(int tag, int seq, int count, String what) throws IOException {
        int prev = mod(rank - 1);
        String peer = "rank " + prev + " (" + addresses.get(prev) + ")";
        int bytes = HEADER + 4 * count;
        if (recvBytes.length < bytes) {
            recvBytes = new byte[bytes];
        }
        if (recvFloats.length < count) {
            recvFloats = new float[count];
        }
        try {
            readFully(in, recvBytes, HEADER);
            ByteBuffer bb = ByteBuffer.wrap(recvBytes, 0, HEADER).order(ByteOrder.LITTLE_ENDIAN);
            int gotTag = bb.getInt(), gotSeq = bb.getInt(), gotCount = bb.getInt();
            if (gotTag != tag || gotSeq != seq || gotCount != count) {
                throw new PeerFailureException(prev, "rank " + rank + ": " + peer + " is out of step in " + what
                        + " #" + seq + ": it sent " + gotCount + " floats of collective #" + gotSeq + " (tag " + gotTag
                        + "), expected " + count + " (tag " + tag + "); every rank must call the same collectives "
                        + "with buffers of the same length", null);
            }
            readFully(in, recvBytes, bytes - HEADER, HEADER);
        } catch (SocketTimeoutException e) {
            throw new PeerFailureException(prev, "rank " + rank + ": no data from " + peer + " for " + timeout.toMillis()
                    + " ms during " + what + ": it is hung or slower than the timeout", e);
        } catch (EOFException e) {
            throw new PeerFailureException(prev, "rank " + rank + ": " + peer + " closed the connection during " + what
                    + ": it died or failed", e);
        } catch (PeerFailureException e) {
            throw e;
        } catch (IOException e) {
            throw new PeerFailureException(prev, "rank " + rank + ": the connection from " + peer + " failed during "
                    + what + " (" + e.getMessage() + "): it died or failed", e);
        }
        ByteBuffer.wrap(recvBytes, HEADER, 4 * count).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                .get(recvFloats, 0, count);
        return recvFloats;
    }

    private static void readFully(InputStream in, byte[] b, int n) throws IOException {
        readFully(in, b, n, 0);
    }

    private static void readFully(InputStream in, byte[] b, int n, int off) throws IOException {
        int done = 0;
        while (done < n) {
            int k = in.read(b, off + done, n - done);
            if (k < 0) {
                throw new EOFException("connection closed after " + done + " of " + n + " bytes");
            }
            done += k;
        }
    }

    private void checkOpen(String what) {
        if (closed) {
            throw new IllegalStateException("process group of rank " + rank + " is closed"
                    + (failure == null ? "" : " after a failure: " + failure) + "; cannot " + what);
        }
    }

    private void fail(Exception e) {
        failure = e.getMessage();
        close();
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is best effort: the peer sees the connection drop either way
            }
        }
    }
}
