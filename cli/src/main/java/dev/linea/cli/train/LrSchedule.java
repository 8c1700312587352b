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

    private LrSchedule(LRScheduler scheduler, ReduceLROnPlateau plateau, Granularity granularity) {
        this.scheduler = scheduler;
        this.plateau = plateau;
        this.granularity = granularity;
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
        return switch (spec.form()) {
            case ScheduleSpec.Constant c -> new LrSchedule(null, null, Granularity.NONE);
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
                yield new LrSchedule(new OneCycleLR(optimizer, maxLrs, epochs * stepsPerEpoch, o.pctStart(),
                        OneCycleLR.AnnealStrategy.COS, cycle, 0.85, 0.95, 25, 1e4, false), null, Granularity.BATCH);
            }
            case ScheduleSpec.Plateau p -> new LrSchedule(null, new ReduceLROnPlateau(optimizer, p.mode(), p.factor(),
                    p.patience(), 1e-4, ReduceLROnPlateau.ThresholdMode.REL, 0, 0.0, 1e-8), Granularity.PLATEAU);
        };
    }

    private static LrSchedule perEpoch(LRScheduler scheduler) {
        return new LrSchedule(scheduler, null, Granularity.EPOCH);
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
