package dev.linea.cli.train;


/**
 * The files of a run folder. All are written with {@link dev.linea.internal.io.AtomicFiles} (temporary file,
 * fsync, rename), so killing the process at any moment leaves every file either old or new, never torn.
 */
final class RunFiles {
    static final String MODEL = "model.safetensors";
    static final String BEST = "best.safetensors";
    static final String STATE = "training-state.safetensors";
    static final String METRICS = "metrics.csv";
    static final String CURVES = "curves.png";
    static final String CONFUSION = "confusion.png";
    static final String WEIGHTS = "fc1-weights.png";
    static final String PREDICTIONS = "predictions.png";

    private RunFiles() {}
}
