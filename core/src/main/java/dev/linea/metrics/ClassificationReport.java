package dev.linea.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-class precision, recall, F1 and support of a {@link ConfusionMatrix}, with the overall accuracy and two
 * averages, as {@code sklearn.metrics.classification_report(y_true, y_pred, labels=range(C), zero_division=0)}:
 * <ul>
 * <li>macro: the unweighted mean over all C classes (a class absent from the data still counts, with 0s);</li>
 * <li>weighted: the mean weighted by each class's support (0 when there are no examples).</li>
 * </ul>
 * Zero division follows sklearn's {@code zero_division=0}: a class never predicted has precision 0, one with no
 * examples recall 0, and F1 is {@code 2tp / (2tp + fp + fn)}, 0 when that denominator is 0.
 *
 * @param classes one row per class, in class-index order
 * @param accuracy correct predictions over all examples
 * @param macro unweighted averages (support: all examples)
 * @param weighted support-weighted averages (support: all examples)
 */
public record ClassificationReport(List<ClassMetrics> classes, double accuracy, ClassMetrics macro,
                                   ClassMetrics weighted) {

    /**
     * One row of the report.
     *
     * @param name the class name ("macro avg", "weighted avg" for the averages)
     * @param precision {@code tp / (tp + fp)}, or its average
     * @param recall {@code tp / (tp + fn)}, or its average
     * @param f1 {@code 2 tp / (2 tp + fp + fn)}, or its average
     * @param support the number of examples of the class (of all classes for an average)
     */
    public record ClassMetrics(String name, double precision, double recall, double f1, long support) {}

    /** Copies the rows. */
    public ClassificationReport {
        classes = List.copyOf(classes);
    }

    /** The report of {@code m}; {@code classNames} has one name per class. */
    public static ClassificationReport of(ConfusionMatrix m, List<String> classNames) {
        int k = m.numClasses();
        if (classNames.size() != k) {
            throw new IllegalArgumentException("the confusion matrix has " + k + " classes but " + classNames.size()
                    + " class names were given");
        }
        List<ClassMetrics> rows = new ArrayList<>(k);
        double[] macro = new double[3];
        double[] weighted = new double[3];
        long total = m.total();
        for (int c = 0; c < k; c++) {
            ClassMetrics r = new ClassMetrics(classNames.get(c), m.precision(c), m.recall(c), m.f1(c), m.support(c));
            rows.add(r);
            double[] v = {r.precision(), r.recall(), r.f1()};
            for (int j = 0; j < 3; j++) {
                macro[j] += v[j] / k;
                weighted[j] += total == 0 ? 0 : v[j] * r.support() / total;
            }
        }
        return new ClassificationReport(rows, m.accuracy(),
                new ClassMetrics("macro avg", macro[0], macro[1], macro[2], total),
                new ClassMetrics("weighted avg", weighted[0], weighted[1], weighted[2], total));
    }

    /** sklearn's text layout: a row per class, then accuracy, macro avg and weighted avg, three decimals. */
    @Override
    public String toString() {
        int w = Math.max(12, classes.stream().mapToInt(c -> c.name().length()).max().orElse(0));
        String row = "%-" + w + "s  %9.3f  %6.3f  %8.3f  %7d%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s  precision  recall  f1-score  support%n", "class"));
        for (ClassMetrics c : classes) {
            sb.append(String.format(Locale.ROOT, row, c.name(), c.precision(), c.recall(), c.f1(), c.support()));
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "%-" + w + "s  %9s  %6s  %8.3f  %7d%n", "accuracy", "", "", accuracy,
                macro.support()));
        for (ClassMetrics c : List.of(macro, weighted)) {
            sb.append(String.format(Locale.ROOT, row, c.name(), c.precision(), c.recall(), c.f1(), c.support()));
        }
        return sb.toString();
    }
}
