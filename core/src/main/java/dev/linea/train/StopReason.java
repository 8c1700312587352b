package dev.linea.train;

/** Why a {@link Trainer} run ended. */
public enum StopReason {
    /** All epochs ran. */
    COMPLETED,
    /** {@link Trainer#stop()} was called; the run ended after the current batch or epoch. */
    STOPPED,
    /** A callback ({@link EarlyStopping}) ended the run after an epoch. */
    EARLY_STOPPED
}
