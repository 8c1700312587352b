package dev.linea.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.distributed.LoopbackRendezvous;
import dev.linea.distributed.Transport;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster in one test: {@code local-cluster[2,1,1024]} starts a master, two workers and two executor
 * JVMs (Spark's jars from SPARK_HOME, which Maven fills; Linea's classes by spark.executor.extraClassPath).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkTrainerTest {
    private static SparkContext sc;

    @BeforeAll
    static void startCluster() {
        SparkConf conf = SparkTrainer.configure(new SparkConf()
                .setMaster("local-cluster[2,1,1024]")
                .setAppName("linea-spark-test")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.extraClassPath", lineaClassPath()));
        sc = new SparkContext(conf);
        sc.setLogLevel("WARN");
    }

    /**
     * Linea's own classes (the build's class folders) for the executors: Spark's jars come from SPARK_HOME,
     * and giving the executors the whole test class path again doubled their start-up (about 40 s on a loaded
     * two-core machine).
     */
    private static String lineaClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> java.nio.file.Files.isDirectory(Path.of(e)) || e.contains("linea-"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    @AfterAll
    static void stopCluster() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static SparkTrainJob job(Path dir, int ranks, int batch, int epochs, int checkpointEvery) {
        return new SparkTrainJob("fcnn", "sample", null, epochs, batch, "sgd", 0.05, 0, 0f, "none", 3, 1, ranks,
                dir.toString(), checkpointEvery, 2, 60);
    }

    /** The whole command line: ProcessHandle.Info leaves it out when it is as long as an executor's class path. */
    private static String commandLine(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
        } catch (java.io.IOException e) {
            return p.info().commandLine().orElse("");
        }
    }

    @Test
    @Order(1)
    void twoExecutorJvmsTrainToIdenticalReplicasAndTheAccuracyOfOneProcess(@TempDir Path dir) throws Exception {
        SparkTrainResult spark = SparkTrainer.train(sc, job(dir.resolve("spark"), 2, 32, 1, 0), System.out);
        RankResult one = RankTraining.run(job(dir.resolve("one"), 1, 64, 1, 0), 0, new LoopbackRendezvous(1),
                InetAddress.getLoopbackAddress(), System.out);

        assertEquals(2, spark.ranks().size());
        assertEquals(spark.ranks().get(0).fingerprint(), spark.ranks().get(1).fingerprint(), "replicas differ");
        assertEquals(0, spark.restarts());
        // Two executor JVMs of one machine: their gradients go through shared memory, not loopback TCP.
        assertEquals(Transport.SHARED_MEMORY, spark.ranks().get(0).transport());
        assertEquals(Transport.SHARED_MEMORY, spark.ranks().get(1).transport());
        assertEquals(spark.ranks().get(0).testAccuracy(), spark.ranks().get(1).testAccuracy());
        double a = spark.rank0().testAccuracy(), b = one.testAccuracy();
        assertTrue(a > 0.6, "accuracy " + a);
        assertEquals(b, a, 0.01, "2 ranks x batch 32 on Spark vs 1 process x batch 64");
        assertTrue(Files.isRegularFile(dir.resolve("spark").resolve(SparkTrainJob.MODEL_FILE)));
        assertEquals(79, spark.rank0().steps(), "one epoch of 2500 examples per rank in batches of 32");
    }

    @Test
    @Order(2)
    void aKilledExecutorFailsTheStageAndTheRunResumesFromTheCheckpoint(@TempDir Path dir) throws Exception {
        SparkTrainJob job = job(dir, 2, 32, 2, 10);
        CompletableFuture<SparkTrainResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return SparkTrainer.train(sc, job, System.out);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Path state = dir.resolve(SparkTrainJob.STATE_FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(state) && !run.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(state), "no checkpoint was written");
        List<ProcessHandle> executors = ProcessHandle.current().descendants()
                .filter(p -> commandLine(p).contains("CoarseGrainedExecutorBackend")).toList();
        assertEquals(2, executors.size(), "executor JVMs");
        executors.get(1).destroyForcibly();

        SparkTrainResult result = run.get(150, TimeUnit.SECONDS);
        assertTrue(result.restarts() >= 1, "restarts " + result.restarts());
        RankResult r0 = result.rank0();
        assertTrue(r0.startEpoch() > 1 || r0.startBatch() > 0,
                "resumed at epoch " + r0.startEpoch() + " batch " + r0.startBatch());
        assertTrue(r0.steps() < 2 * 79, "the last attempt ran only what was left: " + r0.steps() + " steps");
        assertEquals(result.ranks().get(0).fingerprint(), result.ranks().get(1).fingerprint());
        assertTrue(r0.testAccuracy() > 0.6, "accuracy " + r0.testAccuracy());
    }
}
