package dev.linea.cli.train;

import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.io.TrainingProgress;
import dev.linea.nn.Module;
import dev.linea.nn.Parameter;
import dev.linea.optim.Optimizer;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The training loop's guard against divergence: it stops a run, with one line saying what went wrong where,
 * before anything non-finite or exploded reaches a file. It checks
 * <ul>
 * <li>each batch's loss: not NaN or infinite, and not exploded — above {@value #EXPLOSION_FACTOR} times
 *     ln(classes), the cross-entropy of a uniform guess, where every fresh classifier starts;</li>
 * <li>after {@code backward()}, every gradient, and after {@code optimizer.step()}, every parameter;</li>
 * <li>before every save, everything the checkpoint would hold (weights, buffers, optimizer state), and the
 *     test loss the metrics would record.</li>
 * </ul>
 * An exploded loss stops the run as a non-finite one does: a mean cross-entropy of 23,000 (for 10 classes)
 * means logits tens of thousands apart the wrong way. Such runs do not come back (on the sample, Adam at
 * lr 1 peaks at 65,000 × ln 10 in its second batch and ends at chance, 10 %, after 6 epochs; at lr 1e6 it
 * stays near 1e20), the next save would replace the last good weights with useless ones, and float32
 * overflow is a few steps away (SGD at lr 3: NaN two batches later). Unstable runs that still learn stay
 * far below (Adam at lr 0.1 peaks at 105 ×).
 *
 * <p>The per-step checks sum each tensor (one vectorised pass): a finite sum proves every element finite
 * (NaN and ±∞ propagate through a sum), and only a non-finite sum, rare, is followed by an exact scan, so a
 * large but finite tensor whose sum overflows is not mistaken for a diverged one.
 */
final class Divergence {
    /** How many times the loss of a uniform guess a batch loss may reach before the run counts as exploded. */
    static final double EXPLOSION_FACTOR = 1e4;

    private final TrainSettings settings;
    private final Path runDir;
    private final Module model;
    private final Optimizer optimizer;
    private final int classes;
    private final double limit;
    /** The checkpoint on disk (null: none yet); the message says where it is. */
    private TrainingProgress saved;

    Divergence(TrainSettings settings, Path runDir, Module model, Optimizer optimizer, int classes,
               TrainingProgress saved) {
        this.settings = settings;
        this.runDir = runDir;
        this.model = model;
        this.optimizer = optimizer;
        this.classes = classes;
        this.limit = EXPLOSION_FACTOR * Math.log(classes);
        this.saved = saved;
    }

    /** The loss above which a batch counts as exploded. */
    double explosionLimit() {
        return limit;
    }

    /** Checks batch {@code batch} (from 1) of {@code batches} of {@code epoch}'s loss, before the step. */
    void loss(float value, int epoch, int batch, int batches) {
        if (!Float.isFinite(value)) {
            throw diverged(at(epoch, batch, batches), "the loss is " + value);
        }
        if (value > limit) {
            throw diverged(at(epoch, batch, batches), String.format(Locale.ROOT, "the loss exploded to %.4g, above "
                    + "%,.0f (%,.0f × ln %d, the loss of guessing uniformly among %d classes)", value, limit,
                    EXPLOSION_FACTOR, classes, classes));
        }
    }

    /**
     * Checks every gradient after {@code backward()}. Needed before clipping only (clipping refuses a
     * non-finite norm without naming the parameter); otherwise {@link #parameters} finds a bad gradient
     * through the parameter it spoils, at half the cost per step.
     */
    void gradients(int epoch, int batch, int batches) {
        String bad = firstNonFiniteGradient();
        if (bad != null) {
            throw diverged(at(epoch, batch, batches), bad);
        }
    }

    /**
     * Checks every parameter after {@code optimizer.step()}. A non-finite gradient always spoils its parameter
     * (NaN or ±∞ times a rate stays non-finite in every update rule), so the gradients, still there after the
     * step, are searched first: the message names the gradient when one is the cause.
     */
    void parameters(int epoch, int batch, int batches) {
        try (var g = GradMode.noGrad()) {
            for (var e : model.namedParameters().entrySet()) {
                if (!finite(e.getValue())) {
                    String grad = firstNonFiniteGradient();
                    throw diverged(at(epoch, batch, batches), grad != null ? grad : e.getKey() + " became "
                            + nonFinite(e.getValue()) + " in the optimizer step, its gradient being finite: the "
                            + "update overflowed float32");
                }
            }
        }
    }

    /** Checks the test loss after an epoch, before it is recorded. */
    void testLoss(double value, int epoch) {
        if (!Double.isFinite(value)) {
            throw diverged("after epoch " + epoch, "the test loss is " + value
                    + " (the model's outputs overflow float32 on the test images)");
        }
    }

    /**
     * Checks everything a checkpoint would hold; {@code when} says where the run is ("after epoch 3").
     * Exact (a full scan), as it runs once per save.
     */
    void beforeSave(String when) {
        try (var g = GradMode.noGrad()) {
            for (var e : model.stateDict().entrySet()) {
                if (!finiteExact(e.getValue())) {
                    throw diverged(when, e.getKey() + " holds " + nonFinite(e.getValue()));
                }
            }
            var names = model.namedParameters().keySet().toArray(String[]::new);
            for (var e : optimizer.stateDict().state().entrySet()) {
                for (var b : e.getValue().entrySet()) {
                    if (!finiteExact(b.getValue())) {
                        int i = e.getKey();
                        throw diverged(when, "the optimizer's " + b.getKey() + " of "
                                + (i < names.length ? names[i] : "parameter " + i) + " holds " + nonFinite(b.getValue()));
                    }
                }
            }
        }
    }

    /** Records that {@code progress} is now the checkpoint on disk. */
    void saved(TrainingProgress progress) {
        this.saved = progress;
    }

    private String firstNonFiniteGradient() {
        try (var g = GradMode.noGrad()) {
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                Tensor grad = e.getValue().grad();
                if (grad != null && !finite(grad)) {
                    return "the gradient of " + e.getKey() + " holds " + nonFinite(grad);
                }
            }
        }
        return null;
    }

    private static String at(int epoch, int batch, int batches) {
        return "at epoch " + epoch + ", batch " + batch + " of " + batches;
    }

    /** The exception that ends the run, its message one line: what, where, what is kept, what to do. */
    private TrainingDiverged diverged(String where, String what) {
        // the rate the step used, as the float32 it was (a schedule may have moved it from --lr)
        float lr = (float) optimizer.paramGroups().getFirst().lr();
        StringBuilder m = new StringBuilder("training diverged ").append(where).append(", lr ").append(lr)
                .append(": ").append(what).append(". ");
        Path state = runDir.resolve(RunFiles.STATE);
        if (saved == null) {
            m.append("Nothing was saved: no epoch had been checkpointed yet. ");
        } else {
            m.append("Nothing non-finite was written: the last good checkpoint (")
                    .append(saved.batch() == 0 ? "after epoch " + (saved.epoch() - 1)
                            : "epoch " + saved.epoch() + ", batch " + saved.batch())
                    .append(") is kept in ").append(state).append("; ./linea train --resume ").append(runDir)
                    .append(" continues from it, repeating the same steps. ");
        }
        m.append("To get past this, train anew with a --lr below ").append(settings.lr());
        if (settings.clipGradNorm() == 0) {
            m.append(" or with --clip-grad-norm 1");
        }
        return new TrainingDiverged(m.toString());
    }

    /** Fast: a finite sum proves every element finite; a non-finite one is confirmed by a scan. */
    private static boolean finite(Tensor t) {
        return Float.isFinite(t.sum().item()) || finiteExact(t);
    }

    private static boolean finiteExact(Tensor t) {
        for (float x : t.toFloatArray()) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** "NaN", "inf" or "-inf" and how many of the elements are, e.g. "NaN (12 of 100,480 elements)". */
    private static String nonFinite(Tensor t) {
        float[] v = t.toFloatArray();
        int count = 0;
        float first = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                if (count++ == 0) {
                    first = x;
                }
            }
        }
        String kind = Float.isNaN(first) ? "NaN" : first > 0 ? "inf" : "-inf";
        return String.format(Locale.ROOT, "%s (%,d of %,d elements non-finite)", kind, count, v.length);
    }
}
