package dev.linea.cli.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The options given with {@code linea train --resume RUN} beside {@code --epochs} and {@code --threads},
 * checked against the run's saved settings. A resumed run continues the one that was saved, as reloading a
 * PyTorch checkpoint continues its model, optimizer and loader:
 * <ul>
 * <li>an option that defines the run — model, data set, batch size, optimizer and its options, dropout,
 *     schedule, clipping, early stopping, augmentation, seed — is accepted when it repeats the saved value and
 *     refused, with both values, when it differs (the weights, the optimizer state and the batch order belong
 *     to the saved values; change them in a new run);</li>
 * <li>{@code --out} must name the run folder itself: a resumed run is written where it is;</li>
 * <li>{@code --data-dir} may point elsewhere (the same data moved), said in one line.</li>
 * </ul>
 */
final class ResumeOptions {
    private ResumeOptions() {}

    /**
     * The settings to resume with: {@code saved}, with {@code --data-dir} replaced when given.
     *
     * @param given option name ({@code --model}) to the value the command line gave, typed as the saved one
     *              ({@code String}, {@code Integer}, {@code Long}, {@code Double}, {@code Float}, {@code Path})
     * @throws IllegalArgumentException one line naming the option, both values and the run folder
     */
    static TrainSettings apply(TrainSettings saved, Map<String, Object> given, Path runDir, PrintStream log)
            throws IOException {
        TrainSettings s = saved;
        for (var e : given.entrySet()) {
            String option = e.getKey();
            Object value = e.getValue();
            switch (option) {
                case "--data-dir" -> {
                    String dir = value.toString();
                    if (!dir.equals(s.dataDir())) {
                        log.printf(Locale.ROOT, "Reading the data from %s (the run read it from %s)%n", dir,
                                s.dataDir() == null ? "the usual places" : s.dataDir());
                        s = s.withDataDir(dir);
                    }
                }
                case "--out" -> {
                    if (!same((Path) value, runDir)) {
                        throw new IllegalArgumentException("--out " + value + " conflicts with --resume " + runDir
                                + ": a resumed run is written in its own folder (copy the folder to continue it elsewhere)");
                    }
                }
                default -> {
                    Object was = savedValue(s, option);
                    if (!matches(option, value, was, s)) {
                        throw new IllegalArgumentException(option + " " + value + " conflicts with the run in " + runDir
                                + ", trained with " + option + " " + was + ": a resumed run keeps its settings "
                                + "(start a new run with --out to change them)");
                    }
                }
            }
        }
        return s;
    }

    private static boolean matches(String option, Object value, Object saved, TrainSettings s) throws IOException {
        return switch (option) {
            case "--scheduler" -> ScheduleSpec.parse((String) value).form().equals(((ScheduleSpec) saved).form());
            case "--data" -> saved.equals(dataName((String) value, s));
            default -> Objects.equals(value, saved);
        };
    }

    /** The name the settings hold for {@code --data value}: auto resolved, one's own data's path made absolute. */
    private static String dataName(String value, TrainSettings s) throws IOException {
        if (value.startsWith("csv:") || value.startsWith("folder:")) {
            int colon = value.indexOf(':');
            return value.substring(0, colon + 1) + Path.of(value.substring(colon + 1)).toAbsolutePath().normalize();
        }
        return "auto".equals(value) ? Training.dataName(Training.kind("auto", s.dataDir() == null ? null
                : Path.of(s.dataDir()))) : value;
    }

    private static Object savedValue(TrainSettings s, String option) {
        return switch (option) {
            case "--model" -> s.model();
            case "--data" -> s.data();
            case "--batch-size" -> s.batchSize();
            case "--optimizer" -> s.optimizer();
            case "--lr" -> s.lr();
            case "--weight-decay" -> s.weightDecay();
            case "--dropout" -> s.dropout();
            case "--scheduler" -> s.scheduler();
            case "--clip-grad-norm" -> s.clipGradNorm();
            case "--early-stopping" -> s.earlyStopping();
            case "--augment-shift" -> s.augmentShift();
            case "--seed" -> s.seed();
            case "--label" -> s.own() == null ? null : s.own().label();
            case "--test-split" -> s.own() == null ? null : s.own().testSplit();
            case "--image-size" -> s.own() == null ? null : s.own().imageSize();
            default -> throw new IllegalArgumentException("option " + option + " cannot be given with --resume");
        };
    }

    private static boolean same(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
