package dev.linea.cli;

import dev.linea.spark.SparkTrain;
import dev.linea.spark.SparkTrainJob;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code linea train --spark MASTER --ranks N}: the same training as data-parallel ranks in a Spark barrier
 * stage (linea-spark). Spark itself is not in Linea's jar: {@code ./linea} adds {@code $SPARK_HOME/jars}.
 */
final class SparkOptions {
    @Option(names = "--spark", paramLabel = "MASTER", description = "Train on Spark: MASTER such as "
            + "local-cluster[2,1,1024] or spark://host:7077 (needs SPARK_HOME, a Spark 4.2.0 installation).")
    String master;

    @Option(names = "--ranks", defaultValue = "2", description = "With --spark: data-parallel ranks, one Spark task "
            + "each; --batch-size is per rank (default: ${DEFAULT-VALUE}).")
    int ranks;

    @Option(names = "--max-restarts", defaultValue = "3", description = "With --spark: resubmit a failed stage from "
            + "the last checkpoint this many times (default: ${DEFAULT-VALUE}).")
    int maxRestarts;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "STEPS", description = "With --spark: also "
            + "checkpoint every STEPS steps within an epoch (0: at epoch ends; default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    boolean enabled() {
        return master != null;
    }

    /** Runs {@code t}'s training on Spark; options a distributed run does not support yet are refused by name. */
    int train(TrainCommand t) throws Exception {
        List<String> unsupported = new ArrayList<>();
        if (t.clipGradNorm != 0) {
            unsupported.add("--clip-grad-norm");
        }
        if (t.earlyStopping != 0) {
            unsupported.add("--early-stopping");
        }
        if (t.augmentShift != 0) {
            unsupported.add("--augment-shift");
        }
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", unsupported) + " not supported with --spark yet");
        }
        try {
            Class.forName("org.apache.spark.SparkContext");
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--spark needs Apache Spark 4.2.0's jars: set SPARK_HOME to a Spark 4.2.0 "
                    + "installation (./linea then adds $SPARK_HOME/jars to the class path)");
        }
        String data = SparkTrain.resolveData(t.data, t.dataDir == null ? null : t.dataDir.toString());
        Path run = t.resume != null ? t.resume : t.out != null ? t.out : Path.of("runs", t.model + "-" + data + "-spark-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        SparkTrainJob job = new SparkTrainJob(t.model, data, t.dataDir == null ? null : t.dataDir.toAbsolutePath().toString(),
                t.epochs, t.batchSize, t.optimizer, t.lr, t.weightDecay, t.dropout, t.scheduler, t.seed,
                t.threads != null ? t.threads : 1, ranks, run.toAbsolutePath().toString(), checkpointEvery, maxRestarts,
                300);
        SparkTrain.run(master, job, System.out);
        return 0;
    }
}
