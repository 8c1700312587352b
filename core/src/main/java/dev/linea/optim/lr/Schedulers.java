package dev.linea.optim.lr;

import dev.linea.optim.Optimizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds a learning-rate schedule from a short text spec, for command lines such as
 * {@code --scheduler cosine}. Fields are separated by {@code ':'}; trailing fields may be left out.
 * {@code E} is the number of epochs and {@code S} the number of batches per epoch.
 * <pre>
 * spec                                    scheduler                                         stepped per
 * none | constant                         no change                                         –
 * step:SIZE[:GAMMA]                       StepLR(SIZE, GAMMA=0.1)                          epoch
 * multistep:M1,M2,...[:GAMMA]             MultiStepLR([M1, M2, ...], GAMMA=0.1)            epoch
 * exp:GAMMA | exponential:GAMMA           ExponentialLR(GAMMA)                             epoch
 * cosine[:ETA_MIN]                        CosineAnnealingLR(T_max=E, ETA_MIN=0)            epoch
 * linear[:START[:END[:ITERS]]]            LinearLR(START=1/3, END=1, ITERS=5)              epoch
 * warmup-cosine:W[:START[:ETA_MIN]]       SequentialLR(LinearLR(START=0.1, 1, W),          epoch
 *                                           CosineAnnealingLR(E - W, ETA_MIN=0), [W])
 * onecycle[:MAX_LR[:PCT_START]]           OneCycleLR(MAX_LR = each group's lr,             batch
 *                                           total_steps = E·S, PCT_START=0.3)
 * plateau[:PATIENCE[:FACTOR[:MODE]]]      ReduceLROnPlateau(MODE=min, FACTOR=0.1,          epoch, with a metric
 *                                           PATIENCE=10)
 * </pre>
 * {@code onecycle} cycles the momentum between 0.85 and 0.95 (as PyTorch) for Adam-type optimizers
 * ({@code beta1}) and for optimizers whose groups already use momentum; plain SGD keeps momentum 0.
 *
 * <p>Example: {@code step:10:0.5}, {@code multistep:30,60}, {@code cosine}, {@code onecycle:0.01},
 * {@code plateau:3:0.5:max}, {@code warmup-cosine:5}. Names are case-insensitive.
 */
public final class Schedulers {
    private Schedulers() {}

    /** The accepted spec forms, one per line, for a command's help text. */
    public static final String SPEC_HELP = """
            none | step:SIZE[:GAMMA] | multistep:M1,M2,...[:GAMMA] | exp:GAMMA | cosine[:ETA_MIN] \
            | linear[:START[:END[:ITERS]]] | warmup-cosine:W[:START[:ETA_MIN]] | onecycle[:MAX_LR[:PCT_START]] \
            | plateau[:PATIENCE[:FACTOR[:min|max]]]""";

    /**
     * The schedule for {@code spec} over {@code optimizer}, for a run of {@code epochs} epochs of
     * {@code stepsPerEpoch} batches. Throws {@link IllegalArgumentException} naming the spec and the
     * accepted forms when it can't be read.
     */
    public static TrainingSchedule fromSpec(String spec, Optimizer optimizer, int epochs, int stepsPerEpoch) {
        if (epochs <= 0 || stepsPerEpoch <= 0) {
            throw new IllegalArgumentException("scheduler needs positive epochs and steps per epoch, got " + epochs
                    + " and " + stepsPerEpoch);
        }
        String s = spec == null ? "none" : spec.trim().toLowerCase(Locale.ROOT);
        String[] f = s.split(":", -1);
        try {
            return switch (f[0]) {
                case "", "none", "constant" -> TrainingSchedule.none(optimizer);
                case "step" -> {
                    need(f, 2, 3);
                    yield TrainingSchedule.perEpoch(new StepLR(optimizer, Integer.parseInt(f[1]), dbl(f, 2, 0.1)));
                }
                case "multistep" -> {
                    need(f, 2, 3);
                    List<Integer> ms = new ArrayList<>();
                    for (String m : f[1].split(",")) {
                        ms.add(Integer.parseInt(m.trim()));
                    }
                    yield TrainingSchedule.perEpoch(new MultiStepLR(optimizer, ms, dbl(f, 2, 0.1)));
                }
                case "exp", "exponential" -> {
                    need(f, 2, 2);
                    yield TrainingSchedule.perEpoch(new ExponentialLR(optimizer, Double.parseDouble(f[1])));
                }
                case "cosine", "cos" -> {
                    need(f, 1, 2);
                    yield TrainingSchedule.perEpoch(new CosineAnnealingLR(optimizer, epochs, dbl(f, 1, 0)));
                }
                case "linear" -> {
                    need(f, 1, 4);
                    yield TrainingSchedule.perEpoch(new LinearLR(optimizer, dbl(f, 1, 1.0 / 3), dbl(f, 2, 1.0),
                            f.length > 3 ? Integer.parseInt(f[3]) : 5));
                }
                case "warmup-cosine", "warmcos" -> {
                    need(f, 2, 4);
                    int w = Integer.parseInt(f[1]);
                    if (w < 1 || w >= epochs) {
                        throw new IllegalArgumentException("warm-up epochs must be in [1, " + (epochs - 1) + "], got " + w);
                    }
                    var warm = new LinearLR(optimizer, dbl(f, 2, 0.1), 1.0, w);
                    var cos = new CosineAnnealingLR(optimizer, epochs - w, dbl(f, 3, 0));
                    yield TrainingSchedule.perEpoch(new SequentialLR(optimizer, List.of(warm, cos), List.of(w)));
                }
                case "onecycle", "1cycle" -> {
                    need(f, 1, 3);
                    List<Double> maxLrs = new ArrayList<>();
                    for (var g : optimizer.paramGroups()) {
                        maxLrs.add(f.length > 1 && !f[1].isEmpty() ? Double.parseDouble(f[1]) : g.lr());
                    }
                    boolean cycle = optimizer.defaults().containsKey("beta1")
                            || optimizer.paramGroups().stream().allMatch(g -> g.has("momentum") && g.get("momentum") > 0);
                    yield TrainingSchedule.perBatch(new OneCycleLR(optimizer, maxLrs, epochs * stepsPerEpoch,
                            dbl(f, 2, 0.3), OneCycleLR.AnnealStrategy.COS, cycle, 0.85, 0.95, 25, 1e4, false));
                }
                case "plateau" -> {
                    need(f, 1, 4);
                    var mode = f.length > 3 ? ReduceLROnPlateau.Mode.valueOf(f[3].toUpperCase(Locale.ROOT))
                            : ReduceLROnPlateau.Mode.MIN;
                    yield TrainingSchedule.plateau(new ReduceLROnPlateau(optimizer, mode, dbl(f, 2, 0.1),
                            f.length > 1 && !f[1].isEmpty() ? Integer.parseInt(f[1]) : 10, 1e-4,
                            ReduceLROnPlateau.ThresholdMode.REL, 0, 0.0, 1e-8));
                }
                default -> throw new IllegalArgumentException("unknown scheduler '" + f[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("can't read scheduler spec '" + spec + "': " + e.getMessage()
                    + "; accepted: " + SPEC_HELP, e);
        }
    }

    private static void need(String[] f, int min, int max) {
        if (f.length < min || f.length > max) {
            throw new IllegalArgumentException("expected " + (min - 1) + (max > min ? " to " + (max - 1) : "")
                    + " argument(s) after the name, got " + (f.length - 1));
        }
    }

    private static double dbl(String[] f, int i, double dflt) {
        return f.length > i && !f[i].isEmpty() ? Double.parseDouble(f[i]) : dflt;
    }
}
