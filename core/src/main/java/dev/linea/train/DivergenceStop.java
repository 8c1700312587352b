package dev.linea.train;

import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.io.TrainingProgress;
import dev.linea.nn.Module;
import dev.linea.nn.Parameter;
import dev.linea.optim.Optimizer;

import java.util.Locale;
import java.util.Map;

/**
 * Stops a diverging run with a {@link TrainingDiverged} saying what went wrong where, before anything
 * non-finite or exploded reaches a checkpoint (put it before {@link ModelCheckpoint} and {@link CsvLogger}
 * among the callbacks). It checks
 * <ul>
 * <li>each batch's loss: not NaN or infinite, and not exploded — above {@value #EXPLOSION_FACTOR} times
 *     ln(classes), the cross-entropy of a uniform guess, where every fresh classifier starts;</li>
 * <li>after {@code backward()}, when the trainer clips, every gradient (clipping would refuse a non-finite norm
 *     without naming the parameter); after the optimizer's step, every parameter;</li>
 * <li>the validation loss, and, at each epoch's end and each mid-epoch stop, everything a checkpoint would hold
 *     (weights, buffers, optimizer state).</li>
 * </ul>
 * An exploded loss stops the run as a non-finite one does: a mean cross-entropy of 23,000 (for 10 classes)
 * means logits tens of thousands apart the wrong way. Such runs do not come back (on the Fashion-MNIST sample,
 * Adam at lr 1 peaks at 65,000 × ln 10 in its second batch and ends at chance after 6 epochs; at lr 1e6 it stays
 * near 1e20), and float32 overflow is a few steps away (SGD at lr 3: NaN two batches later). Unstable runs that
 * still learn stay far below (Adam at lr 0.1 peaks at 105 ×).
 *
 * <p>The per-step checks sum each tensor (one vectorised pass): a finite sum proves every element finite (NaN
 * and ±∞ propagate through a sum), and only a non-finite sum, rare, is followed by an exact scan, so a large but
 * finite tensor whose sum overflows is not mistaken for a diverged one.
 */
public final class DivergenceStop implements Callback {
    /** How many times the loss of a uniform guess a batch loss may reach before the run counts as exploded. */
    public static final double EXPLOSION_FACTOR = 1e4;

    private final int classes;
    private final double limit;

    /** For a classifier of {@code classes} classes ({@code >= 2}; the explosion limit depends on it). */
    public DivergenceStop(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier has at least 2 classes, got " + classes);
        }
        this.classes = classes;
        this.limit = EXPLOSION_FACTOR * Math.log(classes);
    }

    /** The loss above which a batch counts as exploded. */
    public double explosionLimit() {
        return limit;
    }

    @Override
    public void onBatchLoss(Trainer trainer, float value) {
        if (!Float.isFinite(value)) {
            throw diverged(trainer, at(trainer), "the loss is " + value);
        }
        if (value > limit) {
            throw diverged(trainer, at(trainer), String.format(Locale.ROOT, "the loss exploded to %.4g, above "
                    + "%,.0f (%,.0f × ln %d, the loss of guessing uniformly among %d classes)", value, limit,
                    EXPLOSION_FACTOR, classes, classes));
        }
    }

    /**
     * Checks every gradient when the trainer clips; otherwise {@link #afterStep} finds a bad gradient through the
     * parameter it spoils, at half the cost per step.
     */
    @Override
    public void afterBackward(Trainer trainer) {
        if (trainer.clipGradNorm() > 0) {
            String bad = firstNonFiniteGradient(trainer.model());
            if (bad != null) {
                throw diverged(trainer, at(trainer), bad);
            }
        }
    }

    /**
     * Checks every parameter. A non-finite gradient always spoils its parameter (NaN or ±∞ times a rate stays
     * non-finite in every update rule), so the gradients, still there after the step, are searched first: the
     * message names the gradient when one is the cause.
     */
    @Override
    public void afterStep(Trainer trainer) {
        Module model = trainer.model();
        try (var g = GradMode.noGrad()) {
            for (var e : model.namedParameters().entrySet()) {
                if (!finite(e.getValue())) {
                    String grad = firstNonFiniteGradient(model);
                    throw diverged(trainer, at(trainer), grad != null ? grad : e.getKey() + " became "
                            + nonFinite(e.getValue()) + " in the optimizer step, its gradient being finite: the "
                            + "update overflowed float32");
                }
            }
        }
    }

    @Override
    public void onValidated(Trainer trainer, EpochResult result) {
        if (result.validation() != null && !Double.isFinite(result.validationLoss())) {
            throw diverged(trainer, "after epoch " + result.epoch(), "the test loss is " + result.validationLoss()
                    + " (the model's outputs overflow float32 on the test images)");
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult result, TrainingProgress next) {
        beforeSave(trainer, "after epoch " + result.epoch());
    }

    @Override
    public void onInterrupted(Trainer trainer, TrainingProgress progress) {
        beforeSave(trainer, String.format(Locale.ROOT, "at epoch %d, batch %d of %d (stopping)", progress.epoch(),
                progress.batch(), trainer.batchesPerEpoch()));
    }

    /**
     * Checks everything a checkpoint would hold; {@code when} says where the run is ("after epoch 3"). Exact (a
     * full scan), as it runs once per save.
     */
    public void beforeSave(Trainer trainer, String when) {
        Module model = trainer.model();
        Optimizer optimizer = trainer.optimizer();
        try (var g = GradMode.noGrad()) {
            for (var e : model.stateDict().entrySet()) {
                if (!finiteExact(e.getValue())) {
                    throw diverged(trainer, when, e.getKey() + " holds " + nonFinite(e.getValue()));
                }
            }
            var names = model.namedParameters().keySet().toArray(String[]::new);
            for (var e : optimizer.stateDict().state().entrySet()) {
                for (var b : e.getValue().entrySet()) {
                    if (!finiteExact(b.getValue())) {
                        int i = e.getKey();
                        throw diverged(trainer, when, "the optimizer's " + b.getKey() + " of "
                                + (i < names.length ? names[i] : "parameter " + i) + " holds " + nonFinite(b.getValue()));
                    }
                }
            }
        }
    }

    private static String firstNonFiniteGradient(Module model) {
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

    private static String at(Trainer trainer) {
        return "at epoch " + trainer.epoch() + ", batch " + trainer.batch() + " of " + trainer.batchesPerEpoch();
    }

    /** The exception that ends the run; the rate is the one the step used, as the float32 it was. */
    private static TrainingDiverged diverged(Trainer trainer, String where, String what) {
        return new TrainingDiverged(where, what, (float) trainer.lr());
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

    /** "NaN", "inf" or "-inf" and how many of the elements are, e.g. "NaN (12 of 100,480 elements non-finite)". */
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
