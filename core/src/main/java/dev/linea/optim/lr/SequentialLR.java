package dev.linea.optim.lr;

import dev.linea.optim.Optimizer;
import dev.linea.optim.ParamGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs schedulers one after another, switching at milestone epochs (PyTorch's {@code SequentialLR}),
 * e.g. a {@link LinearLR} warm-up for 5 epochs then {@link CosineAnnealingLR}:
 * <pre>{@code
 * var warm = new LinearLR(opt, 0.1, 1.0, 5);
 * var cos = new CosineAnnealingLR(opt, 25);
 * var sched = new SequentialLR(opt, List.of(warm, cos), List.of(5));
 * }</pre>
 * At epoch e the active scheduler is {@code schedulers[i]} with {@code i = #(milestones ≤ e)}; on a
 * milestone it is restarted with its closed form at epoch 0 ({@code step(0)}), otherwise stepped. As in
 * PyTorch, construction resets every group's rate to {@code initial_lr}, winds every scheduler back one
 * epoch and redoes the first scheduler's initial step.
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final List<Integer> milestones;

    /** {@code milestones} (increasing epochs) has one entry fewer than {@code schedulers}. */
    public SequentialLR(Optimizer optimizer, List<? extends LRScheduler> schedulers, List<Integer> milestones) {
        super(optimizer);
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != optimizer) {
                throw new IllegalArgumentException("SequentialLR expects all schedulers to belong to the same optimizer,"
                        + " but scheduler " + i + " drives a different one");
            }
        }
        if (schedulers.isEmpty() || milestones.size() != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR expects one milestone fewer than schedulers, got "
                    + schedulers.size() + " schedulers and " + milestones.size() + " milestones");
        }
        for (int i = 1; i < milestones.size(); i++) {
            if (milestones.get(i) < milestones.get(i - 1)) {
                throw new IllegalArgumentException("SequentialLR milestones must increase, got " + milestones);
            }
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = List.copyOf(milestones);
        this.lastEpoch = 0;
        for (ParamGroup g : optimizer.paramGroups()) {
            g.setLr(g.get("initial_lr"));
        }
        for (LRScheduler s : this.schedulers) {
            s.lastEpoch -= 1;
        }
        this.schedulers.get(0).initialStep();
        setLastLr(this.schedulers.get(0).getLastLr());
    }

    @Override
    public void step() {
        lastEpoch++;
        int idx = bisectRight(milestones, lastEpoch);
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones.get(idx - 1) == lastEpoch) {
            s.step(0);
        } else {
            s.step();
        }
        setLastLr(s.getLastLr());
    }

    /** Not supported (PyTorch's SequentialLR has no {@code step(epoch)}). */
    @Override
    public void step(int epoch) {
        throw new UnsupportedOperationException("SequentialLR can only step one epoch at a time");
    }

    @Override
    protected List<Double> computeLr() {
        throw new UnsupportedOperationException("SequentialLR delegates to its schedulers");
    }

    private static int bisectRight(List<Integer> sorted, int x) {
        int i = 0;
        while (i < sorted.size() && sorted.get(i) <= x) {
            i++;
        }
        return i;
    }

    /** The schedulers in order. */
    public List<LRScheduler> schedulers() {
        return schedulers;
    }

    @Override
    protected void saveState(Map<String, Object> state) {
        List<Map<String, Object>> subs = new ArrayList<>();
        for (LRScheduler s : schedulers) {
            subs.add(s.stateDict());
        }
        state.put("_schedulers", subs);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void loadState(Map<String, Object> state) {
        if (!(entry(state, "_schedulers") instanceof List<?> subs) || subs.size() != schedulers.size()) {
            throw new IllegalArgumentException("SequentialLR state should hold " + schedulers.size()
                    + " scheduler states under '_schedulers'");
        }
        for (int i = 0; i < subs.size(); i++) {
            schedulers.get(i).loadStateDict((Map<String, Object>) subs.get(i));
        }
    }
}
