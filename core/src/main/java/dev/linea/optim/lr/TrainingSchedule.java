package dev.linea.optim.lr;

import dev.linea.optim.Optimizer;
import dev.linea.optim.ParamGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scheduler together with when it is stepped, so a training loop drives any schedule the same way:
 * <pre>{@code
 * TrainingSchedule sched = Schedulers.fromSpec("cosine", opt, epochs, batchesPerEpoch);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     for (var batch : loader) { ...; opt.step(); sched.afterBatch(); }
 *     double valLoss = ...;                       // only needed when sched.needsMetric()
 *     sched.afterEpoch(valLoss);
 * }
 * }</pre>
 * {@link #afterBatch()} steps per-batch schedules ({@link OneCycleLR}); {@link #afterEpoch(double)} steps
 * per-epoch ones, and {@link ReduceLROnPlateau} with the metric (other schedules ignore it).
 */
public final class TrainingSchedule {

    /** When the underlying scheduler is stepped. */
    public enum Granularity {
        /** A constant rate: nothing is stepped. */
        NONE,
        /** Stepped in {@link #afterEpoch(double)}. */
        EPOCH,
        /** Stepped in {@link #afterBatch()}. */
        BATCH,
        /** Stepped in {@link #afterEpoch(double)} with the metric. */
        PLATEAU
    }

    private final Optimizer optimizer;
    private final LRScheduler scheduler;
    private final ReduceLROnPlateau plateau;
    private final Granularity granularity;

    private TrainingSchedule(Optimizer optimizer, LRScheduler scheduler, ReduceLROnPlateau plateau, Granularity g) {
        this.optimizer = optimizer;
        this.scheduler = scheduler;
        this.plateau = plateau;
        this.granularity = g;
    }

    /** A constant learning rate. */
    public static TrainingSchedule none(Optimizer optimizer) {
        return new TrainingSchedule(optimizer, null, null, Granularity.NONE);
    }

    /** {@code scheduler} stepped once per epoch. */
    public static TrainingSchedule perEpoch(LRScheduler scheduler) {
        return new TrainingSchedule(scheduler.optimizer(), scheduler, null, Granularity.EPOCH);
    }

    /** {@code scheduler} stepped once per batch. */
    public static TrainingSchedule perBatch(LRScheduler scheduler) {
        return new TrainingSchedule(scheduler.optimizer(), scheduler, null, Granularity.BATCH);
    }

    /** {@code plateau} stepped once per epoch with the validation metric. */
    public static TrainingSchedule plateau(ReduceLROnPlateau plateau) {
        return new TrainingSchedule(plateau.optimizer(), null, plateau, Granularity.PLATEAU);
    }

    /** Call after each {@code optimizer.step()}. */
    public void afterBatch() {
        if (granularity == Granularity.BATCH) {
            scheduler.step();
        }
    }

    /** Call at the end of each epoch; {@code metric} (e.g. validation loss) is used only by a plateau schedule. */
    public void afterEpoch(double metric) {
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

    /** Whether {@link #afterEpoch(double)} needs a real metric. */
    public boolean needsMetric() {
        return granularity == Granularity.PLATEAU;
    }

    /** When the scheduler is stepped. */
    public Granularity granularity() {
        return granularity;
    }

    /** The underlying epoch/batch scheduler, or null for none and plateau. */
    public LRScheduler scheduler() {
        return scheduler;
    }

    /** The underlying plateau scheduler, or null. */
    public ReduceLROnPlateau plateauScheduler() {
        return plateau;
    }

    /** Each group's current learning rate. */
    public List<Double> currentLr() {
        List<Double> out = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            out.add(g.lr());
        }
        return out;
    }

    /** The scheduler's state (empty for none), for checkpoints; save the optimizer's state beside it. */
    public Map<String, Object> stateDict() {
        if (scheduler != null) {
            return scheduler.stateDict();
        }
        return plateau != null ? plateau.stateDict() : new LinkedHashMap<>();
    }

    /** Restores {@link #stateDict()} into a schedule built from the same spec. */
    public void loadStateDict(Map<String, Object> state) {
        if (scheduler != null) {
            scheduler.loadStateDict(state);
        } else if (plateau != null) {
            plateau.loadStateDict(state);
        }
    }

    @Override
    public String toString() {
        return granularity == Granularity.NONE ? "constant"
                : (scheduler != null ? scheduler.toString() : plateau.toString()) + " per " + granularity.name().toLowerCase();
    }
}
