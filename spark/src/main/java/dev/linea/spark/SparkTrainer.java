package dev.linea.spark;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Runs a {@link SparkTrainJob} as one Spark barrier stage: one long-running task per rank, scheduled
 * together once every slot exists (the pattern of XGBoost4J-Spark and TorchDistributor). The tasks exchange
 * addresses once, through {@code BarrierTaskContext.allGather}, then average gradients by
 * linea-distributed's ring allreduce every step; nothing goes through the driver but the final results.
 *
 * <p>A failed rank fails the whole stage. The driver then waits for the executors to come back and
 * resubmits it, up to {@link SparkTrainJob#maxRestarts()} times; each rank resumes from the checkpoint rank 0
 * last wrote to the run folder (which every executor must see: one machine, or a shared file system).
 */
public final class SparkTrainer {
    private SparkTrainer() {}

    /**
     * The settings a barrier-stage training needs, set unless already given: Spark checks for enough free
     * slots every second rather than every 15 s, and leaves restarts to {@link #train}, which resumes from the
     * checkpoint instead of starting the stage over.
     */
    public static SparkConf configure(SparkConf conf) {
        conf.setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s");
        conf.setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "120");
        conf.setIfMissing("spark.stage.maxConsecutiveAttempts", "1");
        conf.setIfMissing("spark.task.maxFailures", "1");
        conf.setIfMissing("spark.executor.extraJavaOptions", "-XX:+UseSerialGC");
        return conf;
    }

    /**
     * Trains {@code job} on {@code sc}'s executors and returns every rank's result once a stage finishes.
     *
     * @throws IllegalStateException when the stage fails more than {@code maxRestarts} times (the message has
     *                               Spark's reason), or the ranks end with different weights
     */
    public static SparkTrainResult train(SparkContext sc, SparkTrainJob job, PrintStream log) throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(Path.of(job.runDir()));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
        List<Integer> ranks = IntStream.range(0, job.ranks()).boxed().toList();
        for (int attempt = 0; ; attempt++) {
            awaitExecutors(sc, job, log);
            log.printf("linea: stage %d: training on %d ranks (%s)%n", attempt + 1, job.ranks(), sc.master());
            try {
                RDD<Integer> rdd = jsc.parallelize(ranks, job.ranks()).rdd();
                ClassTag<RankResult> tag = ClassTag$.MODULE$.apply(RankResult.class);
                List<RankResult> results = new ArrayList<>(
                        JavaRDD.fromRDD(rdd.barrier().mapPartitions(new BarrierTask(job), false, tag), tag).collect());
                results.sort(Comparator.comparingInt(RankResult::rank));
                long f = results.getFirst().fingerprint();
                if (results.stream().anyMatch(r -> r.fingerprint() != f)) {
                    throw new IllegalStateException("the ranks ended with different weights: fingerprints "
                            + Arrays.toString(results.stream().mapToLong(RankResult::fingerprint).toArray()));
                }
                return new SparkTrainResult(results, attempt, (System.nanoTime() - t0) / 1e9);
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                String why = rootMessage(e);
                if (attempt >= job.maxRestarts()) {
                    throw new IllegalStateException("training failed " + (attempt + 1) + " time(s), "
                            + "max restarts " + job.maxRestarts() + " reached: " + why, e);
                }
                log.printf("linea: stage %d failed (%s); resubmitting from the last checkpoint in %s (restart %d of %d)%n",
                        attempt + 1, why, job.runDir(), attempt + 1, job.maxRestarts());
            }
        }
    }

    /**
     * Waits until enough executors are registered for one task per rank (a barrier stage needs every slot):
     * {@code ceil(ranks × spark.task.cpus / spark.executor.cores)} when the executors' cores are configured,
     * else one (standalone executors take all of a worker's cores, which the driver cannot see), leaving the
     * rest to Spark's own check for free slots ({@link #configure}: every second, for up to two minutes).
     */
    private static void awaitExecutors(SparkContext sc, SparkTrainJob job, PrintStream log) throws InterruptedException {
        if (sc.isLocal()) {
            return; // local[N]: the driver's own threads are the slots
        }
        int needed = 1;
        if (sc.conf().contains("spark.executor.cores")) {
            int cores = sc.conf().getInt("spark.executor.cores", 1), cpus = sc.conf().getInt("spark.task.cpus", 1);
            needed = (int) Math.ceil((double) job.ranks() * cpus / Math.max(1, cores));
        }
        long deadline = System.nanoTime() + job.timeoutSeconds() * 1_000_000_000L;
        int have;
        while ((have = sc.statusTracker().getExecutorInfos().length - 1) < needed) { // the driver is listed too
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + job.timeoutSeconds() + " s for " + needed
                        + " executors for " + job.ranks() + " ranks, have " + have + " (master " + sc.master() + ")");
            }
            Thread.sleep(200);
        }
        log.printf("linea: %d executors ready%n", have);
    }

    private static String rootMessage(Throwable e) {
        String msg = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.linea.distributed.PeerFailureException) {
                return t.getMessage();
            }
        }
        return msg == null ? e.toString() : msg.lines().findFirst().orElse(msg);
    }
}
