package dev.linea.cli.train;

import dev.linea.optim.Optimizer;
import dev.linea.optim.lr.CosineAnnealingLR;
import dev.linea.optim.lr.ExponentialLR;
import dev.linea.optim.lr.LRScheduler;
import dev.linea.optim.lr.LinearLR;
import dev.linea.optim.lr.MultiStepLR;
import dev.linea.optim.lr.OneCycleLR;
import dev.linea.optim.lr.ReduceLROnPlateau;
import dev.linea.optim.lr.SequentialLR;
import dev.linea.optim.lr.StepLR;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The learning-rate scheduler a {@link ScheduleSpec} describes, built over the run's optimizer, and when
 * the training loop steps it: {@link #afterBatch()} steps per-batch schedules ({@link OneCycleLR}),
 * {@link #afterEpoch(double)} per-epoch ones, and {@link ReduceLROnPlateau} with the test loss.
 */
final class LrSchedule {

    /** When the underlying scheduler is stepped. */
    enum Granularity {
        /** A constant rate: nothing is stepped. */
        NONE,
        /** Stepped in {@link #afterEpoch(double)}. */
        EPOCH,
        /** Stepped in {@link #afterBatch()}. */
        BATCH,
        /** Stepped in {@link #afterEpoch(double)} with the metric. */
        PLATEAU
    }

    private final LRScheduler scheduler;
    private final ReduceLROnPlateau plateau;
    private final Granularity granularity;
    /** What it was built from: the spec, the optimizer, the run's epochs and its batches per epoch. */
    private final ScheduleSpec spec;
    private final Optimizer optimizer;
    private final int epochs;
    private final int stepsPerEpoch;

    /** The scheduler a spec builds and when it is stepped. */
    private record Parts(LRScheduler scheduler, ReduceLROnPlateau plateau, Granularity granularity) {
    }

    private LrSchedule(Parts parts, ScheduleSpec spec, Optimizer optimizer, int epochs, int stepsPerEpoch) {
        this.scheduler = parts.scheduler();
        this.plateau = parts.plateau();
        this.granularity = parts.granularity();
        this.spec = spec;
        this.optimizer = optimizer;
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /**
     * The schedule {@code spec} describes over {@code optimizer}, for a run of {@code epochs} epochs of
     * {@code stepsPerEpoch} batches.
     *
     * @throws IllegalArgumentException when the spec does not fit the run's length
     */
    static LrSchedule build(ScheduleSpec spec, Optimizer optimizer, int epochs, int stepsPerEpoch) {
        if (epochs <= 0 || stepsPerEpoch <= 0) {
            throw new IllegalArgumentException("scheduler needs positive epochs and steps per epoch, got " + epochs
                    + " and " + stepsPerEpoch);
        }
        spec.checkRunLength(epochs);
        return new LrSchedule(parts(spec, optimizer, epochs, stepsPerEpoch), spec, optimizer, epochs, stepsPerEpoch);
    }

    private static Parts parts(ScheduleSpec spec, Optimizer optimizer, int epochs, int stepsPerEpoch) {
        return switch (spec.form()) {
            case ScheduleSpec.Constant c -> new Parts(null, null, Granularity.NONE);
            case ScheduleSpec.Step s -> perEpoch(new StepLR(optimizer, s.size(), s.gamma()));
            case ScheduleSpec.MultiStep m -> perEpoch(new MultiStepLR(optimizer, m.milestones(), m.gamma()));
            case ScheduleSpec.Exponential e -> perEpoch(new ExponentialLR(optimizer, e.gamma()));
            case ScheduleSpec.Cosine c -> perEpoch(new CosineAnnealingLR(optimizer, epochs, c.etaMin()));
            case ScheduleSpec.Linear l -> perEpoch(new LinearLR(optimizer, l.start(), l.end(), l.iters()));
            case ScheduleSpec.WarmupCosine w -> {
                var warm = new LinearLR(optimizer, w.start(), 1.0, w.warmup());
                var cos = new CosineAnnealingLR(optimizer, epochs - w.warmup(), w.etaMin());
                yield perEpoch(new SequentialLR(optimizer, List.of(warm, cos), List.of(w.warmup())));
            }
            case ScheduleSpec.OneCycle o -> {
                List<Double> maxLrs = new ArrayList<>();
                for (var g : optimizer.paramGroups()) {
                    maxLrs.add(o.maxLr().orElse(g.lr()));
                }
                // PyTorch cycles momentum; plain SGD (momentum 0) has none to cycle, so it keeps 0.
                boolean cycle = optimizer.defaults().containsKey("beta1")
                        || optimizer.paramGroups().stream().allMatch(g -> g.has("momentum") && g.get("momentum") > 0);
                yield new Parts(new OneCycleLR(optimizer, maxLrs, epochs * stepsPerEpoch, o.pctStart(),
                        OneCycleLR.AnnealStrategy.COS, cycle, 0.85, 0.95, 25, 1e4, false), null, Granularity.BATCH);
            }
            case ScheduleSpec.Plateau p -> new Parts(null, new ReduceLROnPlateau(optimizer, p.mode(), p.factor(),
                    p.patience(), 1e-4, ReduceLROnPlateau.ThresholdMode.REL, 0, 0.0, 1e-8), Granularity.PLATEAU);
        };
    }

    /**
     * The largest learning rate {@code spec} reaches from {@code lr} in a run of {@code epochs} epochs, in closed
     * form (a growing {@code gamma} compounds; cosine rises to {@code ETA_MIN} when that is above {@code lr}), so
     * a schedule that would overflow float32 mid-run is refused before the run starts.
     */
    static double peakLr(ScheduleSpec spec, double lr, int epochs) {
        int steps = Math.max(epochs - 1, 0); // epoch e trains after e - 1 scheduler steps
        return switch (spec.form()) {
            case ScheduleSpec.Step s -> lr * Math.max(1, Math.pow(s.gamma(), steps / s.size()));
            case ScheduleSpec.MultiStep m -> lr * Math.max(1, Math.pow(m.gamma(),
                    m.milestones().stream().filter(x -> x <= steps).count()));
            case ScheduleSpec.Exponential e -> lr * Math.max(1, Math.pow(e.gamma(), steps));
            case ScheduleSpec.Cosine c -> Math.max(lr, c.etaMin());
            case ScheduleSpec.WarmupCosine w -> Math.max(lr, w.etaMin());
            case ScheduleSpec.OneCycle o -> Math.max(lr, o.maxLr().orElse(lr));
            case ScheduleSpec.Constant c -> lr;
            case ScheduleSpec.Linear l -> lr;
            case ScheduleSpec.Plateau p -> lr;
        };
    }

    private static Parts perEpoch(LRScheduler scheduler) {
        return new Parts(scheduler, null, Granularity.EPOCH);
    }

    /**
     * Fits a schedule restored from a run planned for {@code planned} epochs to this one's length (a resume
     * with another {@code --epochs}); call after {@link #loadStateDict}. Returns the one line that says what
     * happens, or null when the length is unchanged.
     *
     * <p>Cosine, warm-up-cosine and one-cycle are functions of the run's length: left as restored, a cosine
     * that had annealed to {@code ETA_MIN} would stay there (its recursive form only scales the current rate),
     * and a cycle would jump a batch late. They are rebuilt for the new length: the rate is set now to what a
     * run planned for {@code epochs} epochs has at this point (their closed forms at the current step), and
     * follows that run's curve from here. The others (none, step, multistep, exp, linear — its ITERS are
     * epochs of their own — and plateau) do not depend on the length and go on as they were.
     */
    String fitLength(int planned) {
        if (planned == epochs) {
            return null;
        }
        String was = "The " + spec.text() + " schedule was planned for " + planned + " epoch" + (planned == 1 ? "" : "s");
        String curve = switch (spec.form()) {
            case ScheduleSpec.Cosine c -> {
                scheduler.step(scheduler.lastEpoch());
                yield "the cosine of a " + epochs + "-epoch run, down to " + c.etaMin() + " at its end";
            }
            case ScheduleSpec.WarmupCosine w -> {
                LRScheduler cosine = ((SequentialLR) scheduler).schedulers().getLast();
                if (scheduler.lastEpoch() >= w.warmup()) { // the warm-up is over: the cosine drives the rate
                    cosine.step(cosine.lastEpoch());
                }
                yield "the warm-up of " + w.warmup() + " epochs, then a cosine over the remaining " + (epochs - w.warmup())
                        + " epochs of " + epochs + ", down to " + w.etaMin();
            }
            case ScheduleSpec.OneCycle o -> {
                scheduler.step(scheduler.lastEpoch());
                yield "the cycle of " + ((OneCycleLR) scheduler).totalSteps() + " steps (" + epochs + " epochs of "
                        + stepsPerEpoch + " batches), at step " + scheduler.lastEpoch();
            }
            default -> null;
        };
        String lr = Float.toString((float) optimizer.paramGroups().getFirst().lr());
        if (curve == null) {
            return was + "; it does not depend on the run's length and goes on as it was (lr " + lr + " now) for "
                    + epochs + " epochs.";
        }
        return was + " and is rebuilt for " + epochs + ": from here it follows " + curve + " (lr " + lr + " now).";
    }

    /** Call after each {@code optimizer.step()}. */
    void afterBatch() {
        if (granularity == Granularity.BATCH) {
            scheduler.step();
        }
    }

    /** Call at the end of each epoch; {@code metric} (the test loss) is used only by a plateau schedule. */
    void afterEpoch(double metric) {
        switch (granularity) {
            case EPOCH -> scheduler.step();
            case PLATEAU -> {
                if (Double.isNaN(metric)) {
                    throw new IllegalArgumentException("the plateau scheduler needs a metric (e.g. validation loss), got NaN");
                }
                plateau.step(metric);
            }
            default -> { }
        }
    }

    /** When the scheduler is stepped. */
    Granularity granularity() {
        return granularity;
    }

    /** The underlying epoch or batch scheduler; null for none and plateau. */
    LRScheduler scheduler() {
        return scheduler;
    }

    /** The scheduler's state (empty for none), for checkpoints; the optimizer's state is saved beside it. */
    Map<String, Object> stateDict() {
        if (scheduler != null) {
            return scheduler.stateDict();
        }
        return plateau != null ? plateau.stateDict() : new LinkedHashMap<>();
    }

    /** Restores {@link #stateDict()} into a schedule built from the same spec. */
    void loadStateDict(Map<String, Object> state) {
        if (scheduler != null) {
            scheduler.loadStateDict(state);
        } else if (plateau != null) {
            plateau.loadStateDict(state);
        }
    }
}
