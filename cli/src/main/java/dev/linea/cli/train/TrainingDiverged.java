package dev.linea.cli.train;

/**
 * Training stopped because the run diverged: a loss, gradient or parameter left float32's finite range, or
 * the loss exploded (see {@link dev.linea.train.DivergenceStop}). The message is one line saying what, where, and which
 * checkpoint is kept; nothing non-finite was written. {@code linea train} exits with {@link #EXIT_CODE}.
 */
public final class TrainingDiverged extends IllegalStateException {
    /** The exit status of {@code linea train} for a diverged run (2 is for bad input). */
    public static final int EXIT_CODE = 3;

    TrainingDiverged(String message) {
        super(message);
    }
}
