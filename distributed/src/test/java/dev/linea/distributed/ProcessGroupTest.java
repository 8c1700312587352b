package dev.linea.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The process group's contract, run over each transport by {@link TcpProcessGroupTest} and {@link SharedMemoryProcessGroupTest}. */
abstract class ProcessGroupTest {
    /** The transport the group must use. */
    abstract Transport transport();

    private <T> List<T> ranks(int n, Ranks.Body<T> body) throws Exception {
        return ranks(n, Duration.ofSeconds(30), body);
    }

    private <T> List<T> ranks(int n, Duration timeout, Ranks.Body<T> body) throws Exception {
        return Ranks.run(n, timeout, transport(), g -> {
            assertEquals(n == 1 ? Transport.TCP : transport(), g.transport());
            return body.run(g);
        });
    }

    /** Rank r's input: values of mixed magnitude, so that a different summation order changes the bits. */
    static float[] input(int rank, int len) {
        Random rnd = new Random(1000 + rank);
        float[] v = new float[len];
        for (int i = 0; i < len; i++) {
            v[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
        }
        return v;
    }

    /** The documented order: chunk k sums ranks k, k+1, ..., k-1 (mod N), left to right. */
    static float[] expectedSum(int n, int len) {
        float[][] x = new float[n][];
        for (int r = 0; r < n; r++) {
            x[r] = input(r, len);
        }
        float[] out = new float[len];
        for (int k = 0; k < n; k++) {
            int from = (int) ((long) k * len / n), to = (int) ((long) (k + 1) * len / n);
            for (int i = from; i < to; i++) {
                float acc = x[k][i];
                for (int j = 1; j < n; j++) {
                    acc = acc + x[(k + j) % n][i];
                }
                out[i] = acc;
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void allReduceSumIsExactlyTheFixedOrderSumOnEveryRank(int n) throws Exception {
        int len = 10_007; // not a multiple of 2 or 3: uneven chunks
        List<float[]> results = ranks(n, g -> {
            float[] buf = input(g.rank(), len);
            g.allReduce(buf, ReduceOp.SUM);
            return buf;
        });
        float[] expected = expectedSum(n, len);
        for (int r = 0; r < n; r++) {
            assertArrayEquals(expected, results.get(r), 0f, "rank " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void allReduceAvgIsTheSumDividedByTheWorldSizeAndBitIdenticalAcrossRanks(int n) throws Exception {
        int len = 109_386; // the FCNN's gradients
        List<float[]> results = ranks(n, g -> {
            float[] buf = input(g.rank(), len);
            g.allReduce(buf, ReduceOp.AVG);
            float[] again = input(g.rank(), len);
            g.allReduce(again, ReduceOp.AVG); // a rerun gives the same bits
            assertArrayEquals(buf, again, 0f);
            return buf;
        });
        float[] sum = expectedSum(n, len);
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < len; i++) {
                assertEquals(Float.floatToRawIntBits(sum[i] / n), Float.floatToRawIntBits(results.get(r)[i]),
                        "rank " + r + " element " + i);
            }
        }
    }

    @Test
    void buffersShorterThanTheWorldSizeWork() throws Exception {
        List<float[]> results = ranks(3, g -> {
            float[] buf = {g.rank() + 1f};
            g.allReduce(buf);
            float[] empty = new float[0];
            g.allReduce(empty);
            return buf;
        });
        for (float[] r : results) {
            assertArrayEquals(new float[] {6f}, r);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void broadcastCopiesTheRootsBufferToEveryRank(int n) throws Exception {
        int root = n - 1;
        List<float[]> results = ranks(n, g -> {
            float[] buf = input(g.rank(), 777);
            g.broadcast(buf, root);
            g.barrier();
            return buf;
        });
        for (float[] r : results) {
            assertArrayEquals(input(root, 777), r, 0f);
        }
    }

    @Test
    void aKilledPeerFailsTheOthersFastNamingIt() throws Exception {
        long t0 = System.nanoTime();
        List<Exception> errors = ranks(2, Duration.ofSeconds(60), g -> {
            if (g.rank() == 1) {
                g.close(); // dies before the collective
                return null;
            }
            return assertThrows(PeerFailureException.class, () -> g.allReduce(new float[100_000]));
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        PeerFailureException e = (PeerFailureException) errors.get(0);
        assertEquals(1, e.peer());
        assertTrue(e.getMessage().matches("rank 0: (sending to )?rank 1 \\([^)]*127\\.0\\.0\\.1:\\d+\\) .*(died|closed).*"),
                e.getMessage());
        assertTrue(seconds < 30, "took " + seconds + " s: the failure must not wait for the 60 s timeout");
    }

    @Test
    void aDeadRankInARingOfThreeFailsEveryOtherRank() throws Exception {
        List<Exception> errors = ranks(3, Duration.ofSeconds(60), g -> {
            if (g.rank() == 1) {
                g.close();
                return null;
            }
            return assertThrows(PeerFailureException.class, () -> {
                for (int i = 0; i < 5; i++) {
                    g.allReduce(new float[50_000]);
                }
            });
        });
        assertTrue(errors.get(0).getMessage().startsWith("rank 0: "), errors.get(0).getMessage());
        assertTrue(errors.get(2).getMessage().startsWith("rank 2: rank 1 "), errors.get(2).getMessage());
        ExecutionException closed = assertThrows(ExecutionException.class, () -> ranks(1, g -> {
            g.close();
            g.barrier();
            return null;
        }));
        assertEquals("process group of rank 0 is closed; cannot allReduce", closed.getCause().getMessage());
    }

    @Test
    void aHungPeerFailsAfterTheTimeoutNamingIt() throws Exception {
        List<Exception> errors = ranks(2, Duration.ofMillis(500), g -> {
            if (g.rank() == 1) {
                Thread.sleep(3000); // alive, but never joins the collective
                return null;
            }
            return assertThrows(PeerFailureException.class, () -> g.allReduce(new float[10]));
        });
        assertTrue(errors.get(0).getMessage().matches("rank 0: no data from rank 1 \\(.*\\) for 500 ms during allReduce.*"),
                errors.get(0).getMessage());
    }

    @Test
    void buffersOfDifferentLengthsAreReportedAsOutOfStep() throws Exception {
        List<Exception> errors = ranks(2, g -> assertThrows(Exception.class,
                () -> g.allReduce(new float[g.rank() == 0 ? 10 : 12])));
        String all = errors.get(0).getMessage() + " | " + errors.get(1).getMessage();
        assertTrue(all.contains("out of step"), all);
        assertTrue(all.contains("buffers of the same length"), all);
    }

    @Test
    void badArgumentsAreRejectedWithTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcessGroup.init(3, 3, new LoopbackRendezvous(3)));
        assertEquals("rank must be in [0, worldSize), got rank 3 of world size 3", e.getMessage());
        ExecutionException ex = assertThrows(ExecutionException.class, () -> ranks(2, g -> {
            g.broadcast(new float[1], 5);
            return null;
        }));
        assertInstanceOf(IllegalArgumentException.class, ex.getCause());
        assertEquals("broadcast root must be in [0, 2), got 5", ex.getCause().getMessage());
    }

    @Test
    void aRendezvousThatNeverFillsTimesOutNamingTheMissingRanks() {
        var e = assertThrows(java.io.IOException.class, () -> ProcessGroup.init(0, 3, new LoopbackRendezvous(3),
                InetAddress.getLoopbackAddress(), Duration.ofMillis(200)));
        assertEquals("rendezvous timed out after 200 ms: ranks [1, 2] of 3 did not arrive", e.getMessage());
    }
}
