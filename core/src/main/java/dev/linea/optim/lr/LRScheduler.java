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
 * Base of the epoch-indexed learning-rate schedulers, like PyTorch's
 * {@code torch.optim.lr_scheduler._LRScheduler} (1.13). A scheduler owns a counter {@code last_epoch}
 * (-1 before the first step) and sets each parameter group's {@code lr}:
 * <pre>
 * construct:  group.initial_lr = group.lr   (if absent);   base_lrs = [group.initial_lr]
 *             then one step: last_epoch = 0, lr = schedule(0)
 * step():     last_epoch += 1;  group.lr = {@link #computeLr()}      (the recursive, chainable form)
 * step(e):    last_epoch = e;   group.lr = {@link #closedFormLr()}   (the closed form, where there is one)
 * </pre>
 * Call {@link #step()} after {@code optimizer.step()}, once per epoch (or per batch for schedules counted
 * in iterations, such as {@link OneCycleLR}). {@link #getLastLr()} gives the rates just set.
 *
 * <p>{@link #stateDict()} returns the mutable state (counters, base rates, last rates, plus what a
 * subclass keeps) as a map of JSON-friendly values (numbers, lists of numbers, lists of maps); a scheduler
 * built with the same settings over the resumed optimizer continues the identical sequence after
 * {@link #loadStateDict(Map)}. The settings themselves (step size, gamma, ...) are not part of the state.
 *
 * <p>Concrete schedulers are final and call {@link #initialStep()} at the end of their constructor.
 */
public abstract class LRScheduler {
    /** The optimizer whose groups this scheduler drives. */
    protected final Optimizer optimizer;
    /** Each group's {@code initial_lr}. */
    protected List<Double> baseLrs;
    /** The index of the last step: -1 before the initial step, 0 after it. */
    protected int lastEpoch = -1;
    /** How many times {@code step} ran (PyTorch's {@code _step_count}). */
    protected int stepCount;
    private List<Double> lastLr = List.of();

    /** Records each group's {@code initial_lr} (keeping one already there) and the base rates. */
    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        List<Double> base = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            if (!g.has("initial_lr")) {
                g.set("initial_lr", g.lr());
            }
            base.add(g.get("initial_lr"));
        }
        this.baseLrs = List.copyOf(base);
    }

    /** The first step (to {@code last_epoch} 0), as PyTorch's constructor does; concrete classes call it last. */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /** Advances one epoch (or iteration) and sets every group's learning rate. */
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(computeLr());
    }

    /**
     * Jumps to {@code epoch} and sets the rates from the closed form (PyTorch's deprecated
     * {@code step(epoch)}; {@link SequentialLR} uses {@code step(0)} to restart a scheduler at a milestone).
     */
    public void step(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        apply(closedFormLr());
    }

    /** The rates for {@link #lastEpoch}, from the groups' current rates (PyTorch's {@code get_lr}). */
    protected abstract List<Double> computeLr();

    /** The rates for {@link #lastEpoch} from the base rates; schedulers without a closed form use {@link #computeLr()}. */
    protected List<Double> closedFormLr() {
        return computeLr();
    }

    private void apply(List<Double> lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).setLr(lrs.get(i));
        }
        lastLr = currentLrs();
    }

    /** Each group's current {@code lr}. */
    protected final List<Double> currentLrs() {
        List<Double> out = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            out.add(g.lr());
        }
        return Collections.unmodifiableList(out);
    }

    /** Sets what {@link #getLastLr()} returns (for schedulers that drive others). */
    protected final void setLastLr(List<Double> lrs) {
        lastLr = List.copyOf(lrs);
    }

    /** The learning rates set by the last step, one per parameter group (PyTorch's {@code get_last_lr()}). */
    public List<Double> getLastLr() {
        return lastLr;
    }

    /** The index of the last step (0 right after construction). */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** Each group's {@code initial_lr}. */
    public List<Double> baseLrs() {
        return baseLrs;
    }

    /** The optimizer this scheduler drives. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The scheduler's mutable state under PyTorch's names: {@code last_epoch}, {@code _step_count},
     * {@code base_lrs}, {@code _last_lr}, and a subclass's own entries.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("last_epoch", lastEpoch);
        s.put("_step_count", stepCount);
        s.put("base_lrs", new ArrayList<>(baseLrs));
        s.put("_last_lr", new ArrayList<>(lastLr));
        saveState(s);
        return s;
    }

    /** Restores state from {@link #stateDict()} (numbers may be any {@link Number}, e.g. read back from JSON). */
    public void loadStateDict(Map<String, Object> state) {
        lastEpoch = intOf(state, "last_epoch");
        stepCount = intOf(state, "_step_count");
        baseLrs = List.copyOf(doublesOf(state, "base_lrs", optimizer.paramGroups().size()));
        lastLr = List.copyOf(doublesOf(state, "_last_lr", optimizer.paramGroups().size()));
        loadState(state);
    }

    /** Adds a subclass's own state to {@code state}. */
    protected void saveState(Map<String, Object> state) {}

    /** Restores a subclass's own state. */
    protected void loadState(Map<String, Object> state) {}

    static Object entry(Map<String, Object> state, String key) {
        Object v = state.get(key);
        if (v == null) {
            throw new IllegalArgumentException("scheduler state has no '" + key + "' (has " + state.keySet() + ")");
        }
        return v;
    }

    static int intOf(Map<String, Object> state, String key) {
        if (entry(state, key) instanceof Number n) {
            return n.intValue();
        }
        throw new IllegalArgumentException("scheduler state '" + key + "' is not a number: " + state.get(key));
    }

    static double doubleOf(Map<String, Object> state, String key) {
        if (entry(state, key) instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("scheduler state '" + key + "' is not a number: " + state.get(key));
    }

    static List<Double> doublesOf(Map<String, Object> state, String key, int expected) {
        if (!(entry(state, key) instanceof List<?> list) || list.size() != expected) {
            throw new IllegalArgumentException("scheduler state '" + key + "' should be a list of " + expected
                    + " numbers (one per parameter group), got " + state.get(key));
        }
        List<Double> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Number n)) {
                throw new IllegalArgumentException("scheduler state '" + key + "' holds a non-number: " + o);
            }
            out.add(n.doubleValue());
        }
        return out;
    }

    /** Each group's current rate mapped by {@code f(groupIndex, lr)}. */
    final List<Double> mapGroups(java.util.function.BiFunction<Integer, Double, Double> f) {
        List<Double> out = new ArrayList<>();
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            out.add(f.apply(i, groups.get(i).lr()));
        }
        return out;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(last_epoch=" + lastEpoch + ", last_lr=" + lastLr + ")";
    }
}
