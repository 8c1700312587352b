package dev.linea.cli.train;

import dev.linea.internal.io.Json;
import dev.linea.nn.Module;
import dev.linea.optim.Optimizer;
import dev.linea.optim.ParamGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The learning-rate schedule chosen in the settings, stepped by the library's trainer, with the schedule's state
 * carried through checkpoints so a resumed run continues it.
 */
final class Schedule implements dev.linea.train.Scheduling {
    private final TrainSettings settings;
    private final LrSchedule schedule;
    private final Optimizer optimizer;
    /** The groups' options before the scheduler was built over them: on a resume, those the checkpoint holds. */
    private final List<Map<String, Double>> groupsBefore = new ArrayList<>();
    /** The key of the run length in {@link #state()}: Linea's, beside the scheduler's PyTorch names. */
    static final String RUN_EPOCHS = "linea_run_epochs";
    /** The run length the loaded state was planned for, when the checkpoint says (null: older checkpoints). */
    private Integer checkpointEpochs;

    Schedule(TrainSettings settings, Optimizer optimizer, Module model, int stepsPerEpoch) {
        this.settings = settings;
        this.optimizer = optimizer;
        for (ParamGroup g : optimizer.paramGroups()) {
            groupsBefore.add(new LinkedHashMap<>(g.options()));
        }
        this.schedule = LrSchedule.build(settings.scheduler(), optimizer, settings.epochs(), stepsPerEpoch);
    }

    @Override
    public void afterBatch() {
        schedule.afterBatch();
    }

    @Override
    public void afterEpoch(double testLoss) {
        schedule.afterEpoch(testLoss);
    }

    /** {@link #state()} as the map a checkpoint's progress holds (the JSON its {@link #load} takes back). */
    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> stateDict() {
        try {
            return (Map<String, Object>) Json.parseWritten(state());
        } catch (Json.ParseException e) {
            throw new IllegalStateException("the schedule wrote invalid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * See {@link LrSchedule#fitLength}: after {@link #load}, fits the schedule to a changed --epochs.
     * {@code plannedEpochs} (the settings file's) counts only for checkpoints that do not say their own.
     */
    String fitLength(int plannedEpochs) {
        return schedule.fitLength(checkpointEpochs != null ? checkpointEpochs : plannedEpochs);
    }

    /**
     * The schedule's state dict plus {@value #RUN_EPOCHS}, the run length it was stepped for. A resume with
     * --epochs rewrites settings.properties before its first save; were the run killed then, the settings
     * would no longer say what length the checkpoint's schedule state was planned for. The state itself does.
     */
    String state() {
        Map<String, Object> state = new LinkedHashMap<>(schedule.stateDict());
        state.put(RUN_EPOCHS, settings.epochs());
        return Json.write(state);
    }

    @SuppressWarnings("unchecked")
    void load(String json) {
        if (json == null || json.isEmpty()) {
            return;
        }
        try {
            Map<String, Object> state = new LinkedHashMap<>((Map<String, Object>) nonFinite(Json.parse(json)));
            if (state.remove(RUN_EPOCHS) instanceof Number n) {
                checkpointEpochs = n.intValue();
            }
            schedule.loadStateDict(state);
        } catch (Json.ParseException e) {
            throw new IllegalStateException("the checkpoint's scheduler state is not valid JSON: " + e.getMessage(), e);
        }
        // Building a scheduler takes its first step on the groups (PyTorch's constructors do): LinearLR scales the
        // rate by START again, OneCycleLR sets it to MAX_LR/25 and its momentum to the top, SequentialLR resets it.
        // Over a restored optimizer that step is wrong; put back the rates and momenta the checkpoint holds, so a
        // resumed run continues bit for bit.
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            groupsBefore.get(i).forEach(groups.get(i)::set);
        }
    }

    /** JSON has no infinities: the writer stores them as strings ("Infinity"); turn those back into numbers. */
    private static Object nonFinite(Object v) {
        if (v instanceof String str && (str.equals("Infinity") || str.equals("-Infinity") || str.equals("NaN"))) {
            return Double.valueOf(str);
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, nonFinite(x)));
            return out;
        }
        if (v instanceof java.util.List<?> l) {
            return l.stream().map(Schedule::nonFinite).toList();
        }
        return v;
    }
}
