package dev.linea.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What one data-parallel training run on Spark does, shipped to every rank: the options of {@code linea train}
 * that a distributed run supports, the number of ranks, and where rank 0 writes its checkpoint and model.
 *
 * @param model         {@code fcnn} or {@code cnn} (core's {@code FCNN}, {@code CNN})
 * @param data          {@code sample} (the embedded Fashion-MNIST sample), {@code fashion-mnist} or {@code mnist}
 * @param dataDir       where the IDX files are on every executor, or null for the usual places
 * @param epochs        epochs to train, counted from 1
 * @param batchSize     examples per rank per step (the global batch is {@code ranks × batchSize})
 * @param optimizer     {@code adam}, {@code adamw} or {@code sgd} (momentum 0.9, Nesterov), as {@code linea train}
 * @param lr            learning rate
 * @param weightDecay   weight decay
 * @param dropout       dropout after each hidden layer
 * @param scheduler     {@code none} or {@code cosine} (cosine annealing over the epochs, stepped per epoch)
 * @param seed          seeds the initial weights (rank 0's are broadcast), the shuffle and the dropout masks
 * @param threads       Linea's compute threads per rank
 * @param ranks         the number of ranks, one Spark task (and executor slot) each
 * @param runDir        a folder every rank can read and rank 0 can write: {@code training-state.safetensors}
 *                      (resumed from on a restart) and {@code model.safetensors}
 * @param checkpointEvery also checkpoint every this many steps within an epoch (0: at the end of epochs only)
 * @param maxRestarts   how many times a failed stage is resubmitted from the last checkpoint
 * @param timeoutSeconds how long a rank waits for a peer before failing the stage
 */
public record SparkTrainJob(String model, String data, String dataDir, int epochs, int batchSize, String optimizer,
                            double lr, double weightDecay, float dropout, String scheduler, long seed, int threads,
                            int ranks, String runDir, int checkpointEvery, int maxRestarts, int timeoutSeconds)
        implements Serializable {

    /** The file rank 0 checkpoints to and every rank resumes from. */
    public static final String STATE_FILE = "training-state.safetensors";
    /** The trained weights, PyTorch state-dict names. */
    public static final String MODEL_FILE = "model.safetensors";

    /** @throws IllegalArgumentException naming the option and its value when one is out of range */
    public SparkTrainJob {
        check(List.of("fcnn", "cnn").contains(model), "--model must be fcnn or cnn, got '" + model + "'");
        check(List.of("sample", "fashion-mnist", "mnist").contains(data),
                "--data must be sample, fashion-mnist or mnist on Spark, got '" + data + "'");
        check(epochs >= 1, "--epochs must be at least 1, got " + epochs);
        check(batchSize >= 1, "--batch-size must be at least 1, got " + batchSize);
        check(List.of("adam", "adamw", "sgd").contains(optimizer), "--optimizer must be adam, adamw or sgd, got '"
                + optimizer + "'");
        check(lr > 0 && !Double.isInfinite(lr), "--lr must be a positive number, got " + lr);
        check(weightDecay >= 0, "--weight-decay must be >= 0, got " + weightDecay);
        check(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1), got " + dropout);
        check(List.of("none", "cosine").contains(scheduler), "--scheduler must be none or cosine on Spark, got '"
                + scheduler + "'");
        check(threads >= 1, "--threads must be at least 1, got " + threads);
        check(ranks >= 1, "--ranks must be at least 1, got " + ranks);
        check(runDir != null && !runDir.isEmpty(), "the run folder must be given");
        check(checkpointEvery >= 0, "--checkpoint-every must be >= 0, got " + checkpointEvery);
        check(maxRestarts >= 0, "--max-restarts must be >= 0, got " + maxRestarts);
        check(timeoutSeconds >= 1, "--timeout must be at least 1 second, got " + timeoutSeconds);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
