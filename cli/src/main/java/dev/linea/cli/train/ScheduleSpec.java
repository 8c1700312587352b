package dev.linea.cli.train;

import dev.linea.optim.lr.ReduceLROnPlateau;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;

/**
 * A {@code --scheduler} spec, read and checked once: which learning-rate schedule and its numbers, beside
 * the text as the user typed it (saved in {@code settings.properties} and printed as given). Fields are
 * separated by {@code ':'}; trailing fields may be left out, and an empty field takes its default. Names
 * are case-insensitive. {@code E} is the number of epochs, {@code S} the number of batches per epoch.
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
 * plateau[:PATIENCE[:FACTOR[:MODE]]]      ReduceLROnPlateau(MODE=min, FACTOR=0.1,          epoch, with the
 *                                           PATIENCE=10)                                     test loss
 * </pre>
 * Examples: {@code step:10:0.5}, {@code multistep:30,60}, {@code cosine}, {@code onecycle:0.01},
 * {@code plateau:3:0.5:max}, {@code warmup-cosine:5}. {@link LrSchedule#build} turns a spec into the
 * scheduler once the optimizer and the run's length are known.
 *
 * @param text the spec as given ({@code none} when none was)
 * @param form what it describes, its numbers checked
 */
public record ScheduleSpec(String text, Form form) {

    /** The spec as the user typed it, as it is saved and printed (e.g. {@code step:1:0.5}). */
    @Override
    public String toString() {
        return text;
    }


    private static final String STEP = "step:SIZE[:GAMMA]";
    private static final String MULTISTEP = "multistep:M1,M2,...[:GAMMA]";
    private static final String EXP = "exp:GAMMA";
    private static final String COSINE = "cosine[:ETA_MIN]";
    private static final String LINEAR = "linear[:START[:END[:ITERS]]]";
    private static final String WARMUP_COSINE = "warmup-cosine:W[:START[:ETA_MIN]]";
    private static final String ONECYCLE = "onecycle[:MAX_LR[:PCT_START]]";
    private static final String PLATEAU = "plateau[:PATIENCE[:FACTOR[:min|max]]]";

    /** The accepted forms, for help texts and error messages. */
    public static final String ACCEPTED = String.join(" | ", "none", STEP, MULTISTEP, EXP, COSINE, LINEAR,
            WARMUP_COSINE, ONECYCLE, PLATEAU);

    /** What a spec describes: one record per schedule, holding its checked numbers. */
    public sealed interface Form permits Constant, Step, MultiStep, Exponential, Cosine, Linear, WarmupCosine,
            OneCycle, Plateau {
    }

    /** {@code none}: the optimizer's rate throughout. */
    public record Constant() implements Form {
    }

    /** {@code step}: the rate times {@code gamma} every {@code size} (≥ 1) epochs. */
    public record Step(int size, double gamma) implements Form {
    }

    /** {@code multistep}: the rate times {@code gamma} at each of the {@code milestones} (epochs ≥ 0). */
    public record MultiStep(List<Integer> milestones, double gamma) implements Form {
        /** Copies the milestones. */
        public MultiStep {
            milestones = List.copyOf(milestones);
        }
    }

    /** {@code exp}: the rate times {@code gamma} every epoch. */
    public record Exponential(double gamma) implements Form {
    }

    /** {@code cosine}: from the rate down to {@code etaMin} along half a cosine over the run's epochs. */
    public record Cosine(double etaMin) implements Form {
    }

    /** {@code linear}: the rate's factor goes from {@code start} to {@code end} (in [0, 1]) in {@code iters} epochs. */
    public record Linear(double start, double end, int iters) implements Form {
    }

    /** {@code warmup-cosine}: {@code warmup} epochs from factor {@code start} to 1, then cosine to {@code etaMin}. */
    public record WarmupCosine(int warmup, double start, double etaMin) implements Form {
    }

    /**
     * {@code onecycle}: per batch, up to {@code maxLr} (empty: each group's own rate) for the first
     * {@code pctStart} of the run, then down far below the start.
     */
    public record OneCycle(OptionalDouble maxLr, double pctStart) implements Form {
    }

    /**
     * {@code plateau}: the rate times {@code factor} after more than {@code patience} epochs without a
     * better metric (lower with {@code MIN}, higher with {@code MAX}).
     */
    public record Plateau(int patience, double factor, ReduceLROnPlateau.Mode mode) implements Form {
    }

    /**
     * Reads a spec ({@code null} means {@code none}). Throws {@link IllegalArgumentException} naming the
     * spec, the field that is wrong and what it may be, and listing the accepted forms.
     */
    public static ScheduleSpec parse(String text) {
        String given = text == null ? "none" : text;
        try {
            return new ScheduleSpec(given, form(given.trim().toLowerCase(Locale.ROOT).split(":", -1)));
        } catch (IllegalArgumentException e) {
            throw error(text, e.getMessage());
        }
    }

    /**
     * Checks what depends on the run's length: a warm-up must end before the last epoch. Throws
     * {@link IllegalArgumentException} in the same form as {@link #parse}.
     */
    public void checkRunLength(int epochs) {
        if (form instanceof WarmupCosine w && w.warmup() >= epochs) {
            throw error(text, "W (warm-up epochs) must be below the run's " + epochs + (epochs == 1 ? " epoch" : " epochs")
                    + ", got " + w.warmup());
        }
    }

    private static IllegalArgumentException error(String text, String problem) {
        return new IllegalArgumentException("can't read scheduler spec '" + text + "': " + problem + "; accepted: "
                + ACCEPTED);
    }

    private static Form form(String[] f) {
        return switch (f[0]) {
            case "", "none", "constant" -> {
                new Fields(f, "none", 0, 0);
                yield new Constant();
            }
            case "step" -> {
                Fields in = new Fields(f, STEP, 1, 2);
                yield new Step(in.whole(1, "SIZE", 1, null), in.number(2, "GAMMA", 0.1, POSITIVE));
            }
            case "multistep" -> {
                Fields in = new Fields(f, MULTISTEP, 1, 2);
                List<Integer> milestones = new ArrayList<>();
                for (String m : f[1].split(",")) {
                    milestones.add(Fields.whole(m, "each of M1,M2,...", 0));
                }
                yield new MultiStep(milestones, in.number(2, "GAMMA", 0.1, POSITIVE));
            }
            case "exp", "exponential" -> new Exponential(new Fields(f, EXP, 1, 1).number(1, "GAMMA", null, POSITIVE));
            case "cosine", "cos" -> new Cosine(new Fields(f, COSINE, 0, 1).number(1, "ETA_MIN", 0.0, AT_LEAST_0));
            case "linear" -> {
                Fields in = new Fields(f, LINEAR, 0, 3);
                yield new Linear(in.number(1, "START", 1.0 / 3, UNIT), in.number(2, "END", 1.0, UNIT),
                        in.whole(3, "ITERS", 1, 5));
            }
            case "warmup-cosine", "warmcos" -> {
                Fields in = new Fields(f, WARMUP_COSINE, 1, 3);
                yield new WarmupCosine(in.whole(1, "W", 1, null), in.number(2, "START", 0.1, UNIT),
                        in.number(3, "ETA_MIN", 0.0, AT_LEAST_0));
            }
            case "onecycle", "1cycle" -> {
                Fields in = new Fields(f, ONECYCLE, 0, 2);
                OptionalDouble maxLr = in.present(1) ? OptionalDouble.of(in.number(1, "MAX_LR", null, POSITIVE))
                        : OptionalDouble.empty();
                yield new OneCycle(maxLr, in.number(2, "PCT_START", 0.3, UNIT));
            }
            case "plateau" -> {
                Fields in = new Fields(f, PLATEAU, 0, 3);
                yield new Plateau(in.whole(1, "PATIENCE", 0, 10), in.number(2, "FACTOR", 0.1, BELOW_1),
                        in.mode(3));
            }
            default -> throw new IllegalArgumentException("unknown scheduler '" + f[0] + "'");
        };
    }

    /** A range a number must lie in, and how to say it. */
    private record Range(DoublePredicate holds, String says) {
    }

    private static final Range POSITIVE = new Range(v -> v > 0, "a positive number");
    private static final Range AT_LEAST_0 = new Range(v -> v >= 0, "a number ≥ 0");
    private static final Range UNIT = new Range(v -> v >= 0 && v <= 1, "a number in [0, 1]");
    private static final Range BELOW_1 = new Range(v -> v >= 0 && v < 1, "a number in [0, 1)");

    /**
     * The fields of one spec, {@code f[0]} being the name: checks their count against {@code usage}
     * and reads each by the name it has there.
     */
    private record Fields(String[] f, String usage, int min, int max) {
        Fields {
            int given = f.length - 1;
            if (given < min || given > max) {
                throw new IllegalArgumentException("'" + f[0] + "' takes " + usage + " (" + (max == 0 ? "no values"
                        : min + (max > min ? " to " + max : "") + " value" + (max == 1 ? "" : "s"))
                        + " after the name), got " + given);
            }
        }

        boolean present(int i) {
            return i < f.length && !f[i].isBlank();
        }

        /** Field {@code i} as a whole number ≥ {@code least}; {@code dflt} when absent (null: required). */
        int whole(int i, String name, int least, Integer dflt) {
            return !present(i) && dflt != null ? dflt : whole(i < f.length ? f[i] : "", name, least);
        }

        static int whole(String raw, String name, int least) {
            try {
                int v = Integer.parseInt(raw.trim());
                if (v >= least) {
                    return v;
                }
            } catch (NumberFormatException notWhole) {
                // reported below, with what it may be
            }
            throw new IllegalArgumentException(name + " must be a whole number ≥ " + least + ", got '" + raw + "'");
        }

        /** Field {@code i} as a finite number in {@code range}; {@code dflt} when absent (null: required). */
        double number(int i, String name, Double dflt, Range range) {
            if (!present(i) && dflt != null) {
                return dflt;
            }
            String raw = i < f.length ? f[i] : "";
            try {
                double v = Double.parseDouble(raw.trim());
                if (Double.isFinite(v) && Math.abs(v) > Float.MAX_VALUE) {
                    // finite as a double, infinite as the float the optimizer computes with
                    throw new IllegalArgumentException(name + " must fit float32, in which training runs (at most "
                            + Float.MAX_VALUE + "), got '" + raw + "'");
                }
                if (Double.isFinite(v) && range.holds().test(v)) {
                    return v;
                }
            } catch (NumberFormatException notANumber) {
                // reported below, with what it may be
            }
            throw new IllegalArgumentException(name + " must be " + range.says() + ", got '" + raw + "'");
        }

        ReduceLROnPlateau.Mode mode(int i) {
            if (!present(i)) {
                return ReduceLROnPlateau.Mode.MIN;
            }
            return switch (f[i].trim()) {
                case "min" -> ReduceLROnPlateau.Mode.MIN;
                case "max" -> ReduceLROnPlateau.Mode.MAX;
                default -> throw new IllegalArgumentException("MODE must be min or max, got '" + f[i] + "'");
            };
        }
    }
}
