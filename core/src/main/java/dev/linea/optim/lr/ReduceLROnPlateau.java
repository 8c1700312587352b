package dev.linea.optim.lr;

import dev.linea.optim.Optimizer;
import dev.linea.optim.ParamGroup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cuts the learning rate when a metric stops improving (PyTorch's {@code ReduceLROnPlateau}); call
 * {@link #step(double)} with the validation metric after each epoch. A value a is better than the best
 * so far when
 * <pre>
 * min, rel: a &lt; best·(1 - threshold)      min, abs: a &lt; best - threshold
 * max, rel: a &gt; best·(1 + threshold)      max, abs: a &gt; best + threshold
 * </pre>
 * After more than {@code patience} epochs without improvement (not counting {@code cooldown} epochs after a
 * cut), every group's rate becomes {@code max(lr·factor, min_lr)}; a change smaller than {@code eps} is
 * skipped. Defaults: min, factor 0.1, patience 10, threshold 1e-4 rel, cooldown 0, min_lr 0, eps 1e-8.
 *
 * <p>Its state ({@link #stateDict()}) holds {@code best}, which is ±Infinity before the first step.
 */
public final class ReduceLROnPlateau {

    /** Whether lower ({@code MIN}, a loss) or higher ({@code MAX}, an accuracy) is better. */
    public enum Mode {
        /** Lower is better. */
        MIN,
        /** Higher is better. */
        MAX
    }

    /** Whether {@code threshold} is relative to the best value or an absolute margin. */
    public enum ThresholdMode {
        /** Better means beyond {@code best·(1 ∓ threshold)}. */
        REL,
        /** Better means beyond {@code best ∓ threshold}. */
        ABS
    }

    private final Optimizer optimizer;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final List<Double> minLrs;
    private final double eps;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;
    private List<Double> lastLr;

    /** PyTorch's defaults. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, 0, 1e-8);
    }

    /** Every option, one min_lr for all groups. */
    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold,
                             ThresholdMode thresholdMode, int cooldown, double minLr, double eps) {
        this(optimizer, mode, factor, patience, threshold, thresholdMode, cooldown,
                Collections.nCopies(optimizer.paramGroups().size(), minLr), eps);
    }

    /** Every option, one min_lr per group. */
    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold,
                             ThresholdMode thresholdMode, int cooldown, List<Double> minLrs, double eps) {
        if (factor >= 1.0) {
            throw new IllegalArgumentException("Factor should be < 1.0, got " + factor);
        }
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        if (minLrs.size() != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException("expected " + optimizer.paramGroups().size() + " min_lrs, got "
                    + minLrs.size());
        }
        this.mode = Objects.requireNonNull(mode, "mode");
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.thresholdMode = Objects.requireNonNull(thresholdMode, "thresholdMode");
        this.cooldown = cooldown;
        this.minLrs = List.copyOf(minLrs);
        this.eps = eps;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        this.lastLr = currentLrs();
    }

    /** Records the epoch's metric and cuts the rates after more than {@code patience} epochs without improvement. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    private void reduceLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double old = groups.get(i).lr();
            double next = Math.max(old * factor, minLrs.get(i));
            if (old - next > eps) {
                groups.get(i).setLr(next);
            }
        }
    }

    private boolean isBetter(double a, double best) {
        if (mode == Mode.MIN) {
            return thresholdMode == ThresholdMode.REL ? a < best * (1. - threshold) : a < best - threshold;
        }
        return thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1.) : a > best + threshold;
    }

    private List<Double> currentLrs() {
        List<Double> out = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            out.add(g.lr());
        }
        return Collections.unmodifiableList(out);
    }

    /** The rates after the last step, one per group. */
    public List<Double> getLastLr() {
        return lastLr;
    }

    /** The best metric so far (±Infinity before the first step). */
    public double best() {
        return best;
    }

    /** Epochs since the last improvement (reset by a cut and during cooldown). */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    /** The number of steps taken. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The optimizer this scheduler drives. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Mutable state under PyTorch's names: best, num_bad_epochs, cooldown_counter, last_epoch, _last_lr. */
    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("best", best);
        s.put("num_bad_epochs", numBadEpochs);
        s.put("cooldown_counter", cooldownCounter);
        s.put("last_epoch", lastEpoch);
        s.put("_last_lr", new ArrayList<>(lastLr));
        return s;
    }

    /** Restores state from {@link #stateDict()}. */
    public void loadStateDict(Map<String, Object> state) {
        best = LRScheduler.doubleOf(state, "best");
        numBadEpochs = LRScheduler.intOf(state, "num_bad_epochs");
        cooldownCounter = LRScheduler.intOf(state, "cooldown_counter");
        lastEpoch = LRScheduler.intOf(state, "last_epoch");
        lastLr = List.copyOf(LRScheduler.doublesOf(state, "_last_lr", optimizer.paramGroups().size()));
    }

    @Override
    public String toString() {
        return "ReduceLROnPlateau(mode=" + mode + ", best=" + best + ", last_lr=" + lastLr + ")";
    }
}
