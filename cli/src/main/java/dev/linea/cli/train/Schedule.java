package dev.linea.cli.train;

import dev.linea.internal.io.Json;
import dev.linea.nn.Module;
import dev.linea.nn.utils.ClipGrad;
import dev.linea.optim.Optimizer;

import java.util.Map;

/**
 * The per-step training tools chosen in the settings: gradient clipping and the learning-rate schedule,
 * with the schedule's state carried through checkpoints (as JSON) so a resumed run continues it.
 */
final class Schedule {
    private final TrainSettings settings;
    private final LrSchedule schedule;

    Schedule(TrainSettings settings, Optimizer optimizer, Module model, int stepsPerEpoch) {
        this.settings = settings;
        this.schedule = LrSchedule.build(settings.scheduler(), optimizer, settings.epochs(), stepsPerEpoch);
    }

    /** Clips the model's gradients when --clip-grad-norm is set; a non-finite norm is an error naming it. */
    void clip(Module model) {
        if (settings.clipGradNorm() > 0) {
            ClipGrad.clipGradNorm(model.parameters(), settings.clipGradNorm(), 2.0, true);
        }
    }

    void afterBatch() {
        schedule.afterBatch();
    }

    void afterEpoch(double testLoss) {
        schedule.afterEpoch(testLoss);
    }

    String state() {
        return Json.write(schedule.stateDict());
    }

    @SuppressWarnings("unchecked")
    void load(String json) {
        if (json == null || json.isEmpty()) {
            return;
        }
        try {
            schedule.loadStateDict((Map<String, Object>) nonFinite(Json.parse(json)));
        } catch (Json.ParseException e) {
            throw new IllegalStateException("the checkpoint's scheduler state is not valid JSON: " + e.getMessage(), e);
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
