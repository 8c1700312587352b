package dev.linea.metrics;

import dev.linea.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Counts of (true class, predicted class) pairs for a classifier over {@code numClasses} classes, like
 * {@code sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(numClasses))}: {@code counts()[t][p]}
 * is how many examples of class {@code t} were predicted as {@code p}, so rows sum to each class's support
 * and the diagonal holds the correct predictions.
 *
 * <p>Filled in one go ({@link #of(int[], int[], int)}) or batch by batch during an evaluation
 * ({@link #add(Tensor, Tensor)} with logits (N, C) and targets (N)). Not thread-safe: one per evaluation.
 * {@link #report(List)} gives per-class precision, recall and F1 with their averages.
 */
public final class ConfusionMatrix {
    private final long[][] counts;
    private long total;

    /** An empty matrix for {@code numClasses} classes ({@code >= 1}). */
    public ConfusionMatrix(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("a confusion matrix needs at least 1 class, got " + numClasses);
        }
        counts = new long[numClasses][numClasses];
    }

    /**
     * The matrix of {@code yTrue} against {@code yPred}, class indices in {@code [0, numClasses)}.
     *
     * @throws IllegalArgumentException when the lengths differ or an index is out of range
     */
    public static ConfusionMatrix of(int[] yTrue, int[] yPred, int numClasses) {
        ConfusionMatrix m = new ConfusionMatrix(numClasses);
        m.add(yTrue, yPred);
        return m;
    }

    /** Adds the pairs {@code (yTrue[i], yPred[i])}; see {@link #of(int[], int[], int)}. */
    public void add(int[] yTrue, int[] yPred) {
        if (yTrue.length != yPred.length) {
            throw new IllegalArgumentException("y_true and y_pred have different lengths: " + yTrue.length + " and "
                    + yPred.length);
        }
        for (int i = 0; i < yTrue.length; i++) {
            add(yTrue[i], yPred[i], i);
        }
    }

    /** Adds one example of class {@code trueClass} predicted as {@code predictedClass}. */
    public void add(int trueClass, int predictedClass) {
        add(trueClass, predictedClass, -1);
    }

    private void add(int t, int p, int at) {
        int k = counts.length;
        if (t < 0 || t >= k || p < 0 || p >= k) {
            throw new IllegalArgumentException((at >= 0 ? "at index " + at + ": " : "") + "class indices must be in "
                    + "[0, " + k + "), got true " + t + " and predicted " + p);
        }
        counts[t][p]++;
        total++;
    }

    /**
     * Adds a batch: {@code scores} (N, C) logits or probabilities, predicted as their argmax over dim 1 (the first
     * maximum, as {@link Tensor#argmax(int, boolean)}), and {@code targets} (N) class indices stored as floats.
     */
    public void add(Tensor scores, Tensor targets) {
        int[] predicted = Metrics.argmax(scores, "scores");
        int[] labels = Metrics.labels(targets, predicted.length);
        add(labels, predicted);
    }

    /** The number of classes C. */
    public int numClasses() {
        return counts.length;
    }

    /** How many examples were added. */
    public long total() {
        return total;
    }

    /** A copy of the counts, {@code [true][predicted]}. */
    public long[][] counts() {
        long[][] c = new long[counts.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts[i].clone();
        }
        return c;
    }

    /** The counts as ints, {@code [true][predicted]} (for charts); refuses counts above {@code Integer.MAX_VALUE}. */
    public int[][] toIntArray() {
        int[][] c = new int[counts.length][counts.length];
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c.length; j++) {
                c[i][j] = Math.toIntExact(counts[i][j]);
            }
        }
        return c;
    }

    /** Examples of class {@code c} predicted as {@code c}. */
    public long truePositives(int c) {
        return counts[Objects.checkIndex(c, counts.length)][c];
    }

    /** Examples of class {@code c}: the row sum. */
    public long support(int c) {
        return Arrays.stream(counts[Objects.checkIndex(c, counts.length)]).sum();
    }

    /** Examples predicted as {@code c}: the column sum. */
    public long predicted(int c) {
        Objects.checkIndex(c, counts.length);
        long s = 0;
        for (long[] row : counts) {
            s += row[c];
        }
        return s;
    }

    /** The fraction predicted correctly, the trace over the total (0 when empty, sklearn's zero-division value). */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        return total == 0 ? 0 : (double) correct / total;
    }

    /** {@code tp / (tp + fp)} of class {@code c}; 0 when the class was never predicted (sklearn's zero_division=0). */
    public double precision(int c) {
        long p = predicted(c);
        return p == 0 ? 0 : (double) truePositives(c) / p;
    }

    /** {@code tp / (tp + fn)} of class {@code c}; 0 when the class has no examples (zero_division=0). */
    public double recall(int c) {
        long s = support(c);
        return s == 0 ? 0 : (double) truePositives(c) / s;
    }

    /**
     * The harmonic mean of precision and recall of class {@code c}, computed as sklearn does since 1.3:
     * {@code 2 tp / (2 tp + fp + fn)}, 0 when that denominator is 0 (the class neither present nor predicted).
     * A class never predicted but present has F1 0.
     */
    public double f1(int c) {
        long tp = truePositives(c);
        long denominator = predicted(c) + support(c); // (tp + fp) + (tp + fn)
        return denominator == 0 ? 0 : 2.0 * tp / denominator;
    }

    /** Per-class precision, recall, F1 and support with macro and weighted averages; names indexed by class. */
    public ClassificationReport report(List<String> classNames) {
        return ClassificationReport.of(this, classNames);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ConfusionMatrix[");
        for (int i = 0; i < counts.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(Arrays.toString(counts[i]));
        }
        return sb.append(']').toString();
    }
}
