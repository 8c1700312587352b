package dev.linea.spark;

import dev.linea.data.ImageSet;
import dev.linea.data.Split;
import dev.linea.distributed.Transport;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/**
 * The entry points that own a SparkContext: {@link #main} for {@code spark-submit} on a real cluster, and
 * {@link #run} for {@code linea train --spark MASTER}. Both create the context with
 * {@link SparkTrainer#configure}, ship Linea's jar to the executors, train, print the result and stop.
 *
 * <pre>
 * spark-submit --master spark://host:7077 --class dev.linea.spark.SparkTrain linea.jar \
 *     --ranks 4 --run-dir /shared/runs/fcnn --data fashion-mnist --data-dir /shared/data --epochs 10
 * </pre>
 */
public final class SparkTrain {
    private SparkTrain() {}

    /** The options {@link #main} reads, with their defaults (those of {@code linea train}, 1 thread per rank). */
    static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("model", "fcnn");
        d.put("data", "auto");
        d.put("data-dir", "");
        d.put("epochs", "30");
        d.put("batch-size", "64");
        d.put("optimizer", "adam");
        d.put("lr", "0.001");
        d.put("weight-decay", "0");
        d.put("dropout", "0.1");
        d.put("scheduler", "cosine");
        d.put("seed", "0");
        d.put("threads", "1");
        d.put("ranks", "2");
        d.put("run-dir", "");
        d.put("checkpoint-every", "0");
        d.put("max-restarts", "3");
        d.put("timeout", "300");
        return d;
    }

    /**
     * {@code spark-submit ... --class dev.linea.spark.SparkTrain linea.jar --ranks N --run-dir DIR [--name value]...}
     * with the names of {@link #DEFAULTS}; the master comes from spark-submit.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !o.containsKey(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --NAME VALUE with NAME one of " + o.keySet() + ", got '"
                        + args[i] + "'" + (name != null && o.containsKey(name) ? " without a value" : ""));
            }
            o.put(name, args[++i]);
        }
        if (o.get("run-dir").isEmpty()) {
            throw new IllegalArgumentException("--run-dir DIR is required: a folder every executor can read and rank 0 "
                    + "can write (the checkpoint and the model)");
        }
        SparkTrainJob job = new SparkTrainJob(o.get("model"), resolveData(o.get("data"), o.get("data-dir")),
                o.get("data-dir").isEmpty() ? null : o.get("data-dir"), Integer.parseInt(o.get("epochs")),
                Integer.parseInt(o.get("batch-size")), o.get("optimizer"), Double.parseDouble(o.get("lr")),
                Double.parseDouble(o.get("weight-decay")), Float.parseFloat(o.get("dropout")), o.get("scheduler"),
                Long.parseLong(o.get("seed")), Integer.parseInt(o.get("threads")), Integer.parseInt(o.get("ranks")),
                o.get("run-dir"), Integer.parseInt(o.get("checkpoint-every")), Integer.parseInt(o.get("max-restarts")),
                Integer.parseInt(o.get("timeout")));
        train(new SparkConf(), job, System.out);
    }

    /**
     * Trains {@code job} on a new SparkContext for {@code master} ({@code local-cluster[2,1,1024]},
     * {@code spark://host:7077}, ...), prints the result, and stops the context.
     */
    public static SparkTrainResult run(String master, SparkTrainJob job, PrintStream out) throws Exception {
        return train(new SparkConf().setMaster(master), job, out);
    }

    private static SparkTrainResult train(SparkConf conf, SparkTrainJob job, PrintStream out) throws Exception {
        conf.setIfMissing("spark.app.name", "linea-train-" + job.model());
        Optional<String> jar = lineaJar();
        if (jar.isPresent()) {
            // The executors need Linea's classes: fetched from the driver (spark.jars) on a real cluster, read from
            // the same path (extraClassPath) by local-cluster executors, which load it before the task's class loader.
            conf.setIfMissing("spark.jars", jar.get());
            conf.setIfMissing("spark.executor.extraClassPath", jar.get());
        }
        SparkContext sc = new SparkContext(SparkTrainer.configure(conf));
        sc.setLogLevel(System.getProperty("linea.sparkLogLevel", "WARN")); // Spark's INFO lines would drown the progress
        try {
            SparkTrainResult r = SparkTrainer.train(sc, job, out);
            RankResult r0 = r.rank0();
            out.printf("linea: trained %s on %d ranks x batch %d in %.1f s (%d restart%s, gradients over %s): test accuracy "
                            + "%.2f%%, test loss %.4f, last epoch's train loss %.4f; replicas identical (fingerprint %016x)%n",
                    job.model(), job.ranks(), job.batchSize(), r.seconds(), r.restarts(), r.restarts() == 1 ? "" : "s",
                    r0.transport() == Transport.SHARED_MEMORY ? "shared memory" : "TCP", 100 * r0.testAccuracy(),
                    r0.testLoss(), r0.trainLoss(), r0.fingerprint());
            out.printf("linea: model written to %s%n", Path.of(job.runDir(), SparkTrainJob.MODEL_FILE));
            return r;
        } finally {
            sc.stop();
        }
    }

    /** {@code auto}: the full Fashion-MNIST when found (under {@code dataDir} if given), else the embedded sample. */
    public static String resolveData(String data, String dataDir) throws java.io.IOException {
        if (!data.equals("auto")) {
            return data;
        }
        Optional<Path> root = dataDir == null || dataDir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dataDir));
        return switch (ImageSet.loadAuto(Split.TEST, root).kind()) {
            case FASHION_MNIST -> "fashion-mnist";
            case MNIST -> "mnist";
            case FASHION_MNIST_SAMPLE -> "sample";
        };
    }

    /** The jar (or class folder) Linea's Spark classes were loaded from, when it is a jar. */
    private static Optional<String> lineaJar() {
        try {
            Path p = Path.of(SparkTrain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") ? Optional.of(p.toString()) : Optional.empty();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
