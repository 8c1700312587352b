package dev.linea.optim.lr;

import dev.linea.optim.Optimizer;
import dev.linea.optim.ParamGroup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The 1cycle policy (Smith and Topin), PyTorch's {@code OneCycleLR}: stepped once per batch for
 * {@code total_steps} batches. Per group, with {@code initial_lr = max_lr / div_factor} and
 * {@code min_lr = initial_lr / final_div_factor} (stored in the group under those names):
 * <pre>
 * two phases:   step 0 … pct_start·T - 1:       initial_lr → max_lr,   momentum max_m → base_m
 *               … T - 1:                          max_lr → min_lr,       momentum base_m → max_m
 * three phases: step 0 … pct_start·T - 1:       initial_lr → max_lr,   momentum max_m → base_m
 *               … 2·pct_start·T - 2:             max_lr → initial_lr,   momentum base_m → max_m
 *               … T - 1:                          initial_lr → min_lr,   momentum max_m
 * within a phase from step s0 to s1, pct = (step - s0)/(s1 - s0) and
 *   cos:    value = end + (start - end)/2 · (cos(π·pct) + 1)
 *   linear: value = (end - start)·pct + start
 * </pre>
 * With {@code cycle_momentum} (the default) the momentum is cycled too: {@code beta1} for Adam-type
 * optimizers (PyTorch's {@code betas[0]}), else {@code momentum} (SGD, RMSprop). Stepping more than
 * {@code total_steps} times throws.
 */
public final class OneCycleLR extends LRScheduler {

    /** How a phase interpolates from its start value to its end value. */
    public enum AnnealStrategy {
        /** {@code end + (start - end)/2·(cos(π·pct) + 1)} */
        COS,
        /** {@code (end - start)·pct + start} */
        LINEAR
    }

    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {}

    private final int totalSteps;
    private final List<Phase> phases;
    private final AnnealStrategy anneal;
    private final boolean cycleMomentum;
    private final String momentumKey;

    /** The defaults: pct_start 0.3, cos, cycle momentum 0.85–0.95, div_factor 25, final_div_factor 1e4, two phases. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(optimizer, maxLr, totalSteps, 0.3, AnnealStrategy.COS, true, 0.85, 0.95, 25, 1e4, false);
    }

    /** Every option, one max_lr for all groups. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart, AnnealStrategy anneal,
                      boolean cycleMomentum, double baseMomentum, double maxMomentum, double divFactor,
                      double finalDivFactor, boolean threePhase) {
        this(optimizer, Collections.nCopies(optimizer.paramGroups().size(), maxLr), totalSteps, pctStart, anneal,
                cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
    }

    /** Every option, one max_lr per group. */
    public OneCycleLR(Optimizer optimizer, List<Double> maxLrs, int totalSteps, double pctStart, AnnealStrategy anneal,
                      boolean cycleMomentum, double baseMomentum, double maxMomentum, double divFactor,
                      double finalDivFactor, boolean threePhase) {
        super(prepare(optimizer, maxLrs, totalSteps, pctStart, cycleMomentum, baseMomentum, maxMomentum,
                divFactor, finalDivFactor));
        this.totalSteps = totalSteps;
        this.anneal = anneal;
        this.cycleMomentum = cycleMomentum;
        this.momentumKey = momentumKey(optimizer);
        List<Phase> ph = new ArrayList<>();
        if (threePhase) {
            ph.add(new Phase(pctStart * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"));
            ph.add(new Phase(2 * pctStart * totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"));
            ph.add(new Phase(totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"));
        } else {
            ph.add(new Phase(pctStart * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"));
            ph.add(new Phase(totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
        }
        this.phases = List.copyOf(ph);
        initialStep();
    }

    private static String momentumKey(Optimizer optimizer) {
        return optimizer.defaults().containsKey("beta1") ? "beta1" : "momentum";
    }

    private static Optimizer prepare(Optimizer optimizer, List<Double> maxLrs, int totalSteps, double pctStart,
                                     boolean cycleMomentum, double baseMomentum, double maxMomentum,
                                     double divFactor, double finalDivFactor) {
        List<ParamGroup> groups = optimizer.paramGroups();
        if (totalSteps <= 0) {
            throw new IllegalArgumentException("OneCycleLR expects a positive total_steps, got " + totalSteps);
        }
        if (!(pctStart >= 0 && pctStart <= 1)) {
            throw new IllegalArgumentException("OneCycleLR expects pct_start in [0, 1], got " + pctStart);
        }
        if (maxLrs.size() != groups.size()) {
            throw new IllegalArgumentException("OneCycleLR expected " + groups.size() + " values for max_lr, got "
                    + maxLrs.size());
        }
        if (cycleMomentum && !optimizer.defaults().containsKey("beta1") && !optimizer.defaults().containsKey("momentum")) {
            throw new IllegalArgumentException("optimizer must support momentum with the cycle_momentum option enabled ("
                    + optimizer.getClass().getSimpleName() + " has neither 'momentum' nor 'beta1')");
        }
        String key = momentumKey(optimizer);
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            g.set("initial_lr", maxLrs.get(i) / divFactor);
            g.set("max_lr", maxLrs.get(i));
            g.set("min_lr", g.get("initial_lr") / finalDivFactor);
            if (cycleMomentum) {
                g.set(key, maxMomentum);
                g.set("max_momentum", maxMomentum);
                g.set("base_momentum", baseMomentum);
            }
        }
        return optimizer;
    }

    private double anneal(double start, double end, double pct) {
        return switch (anneal) {
            case COS -> end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
            case LINEAR -> (end - start) * pct + start;
        };
    }

    @Override
    protected List<Double> computeLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps) {
            throw new IllegalStateException("Tried to step " + (stepNum + 1) + " times. The specified number of total steps is "
                    + totalSteps);
        }
        List<Double> lrs = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            double startStep = 0, lr = 0, momentum = 0;
            for (int i = 0; i < phases.size(); i++) {
                Phase phase = phases.get(i);
                double endStep = phase.endStep();
                if (stepNum <= endStep || i == phases.size() - 1) {
                    double pct = (stepNum - startStep) / (endStep - startStep);
                    lr = anneal(g.get(phase.startLr()), g.get(phase.endLr()), pct);
                    if (cycleMomentum) {
                        momentum = anneal(g.get(phase.startMomentum()), g.get(phase.endMomentum()), pct);
                    }
                    break;
                }
                startStep = phase.endStep();
            }
            lrs.add(lr);
            if (cycleMomentum) {
                g.set(momentumKey, momentum);
            }
        }
        return lrs;
    }

    /** The number of steps in the cycle. */
    public int totalSteps() {
        return totalSteps;
    }
}
