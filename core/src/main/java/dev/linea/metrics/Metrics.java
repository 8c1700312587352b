package dev.linea.metrics;

import dev.linea.Tensor;

import java.util.Arrays;

/**
 * Classification metrics on predictions, named after {@code sklearn.metrics}: {@link #accuracy} and
 * {@link #topKAccuracy}. For per-class precision, recall and F1 see {@link ConfusionMatrix}.
 *
 * <p>Class indices come as {@code int[]}, or as tensors: targets (N) of class indices stored as floats (what
 * {@code CrossEntropyLoss} takes) and scores (N, C) of logits or probabilities.
 */
public final class Metrics {
    private Metrics() {}

    /**
     * The fraction of {@code yPred} equal to {@code yTrue} ({@code accuracy_score}); 0 for no examples.
     *
     * @throws IllegalArgumentException when the lengths differ
     */
    public static double accuracy(int[] yTrue, int[] yPred) {
        if (yTrue.length != yPred.length) {
            throw new IllegalArgumentException("y_true and y_pred have different lengths: " + yTrue.length + " and "
                    + yPred.length);
        }
        int correct = 0;
        for (int i = 0; i < yTrue.length; i++) {
            correct += yTrue[i] == yPred[i] ? 1 : 0;
        }
        return yTrue.length == 0 ? 0 : (double) correct / yTrue.length;
    }

    /** The accuracy of the argmax of {@code scores} (N, C) against {@code targets} (N). */
    public static double accuracy(Tensor scores, Tensor targets) {
        int[] predicted = argmax(scores, "scores");
        return accuracy(labels(targets, predicted.length), predicted);
    }

    /**
     * The fraction of examples whose true class is among the {@code k} highest {@code scores} (N, C)
     * ({@code top_k_accuracy_score}). Ties are ranked as sklearn ranks them (a stable ascending sort, reversed):
     * among equal scores the higher class index comes first, so the true class counts when fewer than {@code k}
     * classes have a higher score or an equal score and a higher index. {@code k >= C} gives 1.
     *
     * @throws IllegalArgumentException when {@code k < 1}, the shapes do not fit, or a target is not a class
     */
    public static double topKAccuracy(Tensor scores, Tensor targets, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        checkScores(scores, "scores");
        int n = scores.size(0), c = scores.size(1);
        int[] y = labels(targets, n);
        float[] s = scores.detach().contiguous().toFloatArray();
        int hits = 0;
        for (int i = 0; i < n; i++) {
            if (y[i] >= c) {
                throw new IllegalArgumentException("target " + y[i] + " at index " + i + " is not a class of the " + c
                        + " scored");
            }
            float mine = s[i * c + y[i]];
            int above = 0;
            for (int j = 0; j < c; j++) {
                float v = s[i * c + j];
                if (v > mine || (v == mine && j > y[i])) {
                    above++;
                }
            }
            hits += above < k ? 1 : 0;
        }
        return n == 0 ? 0 : (double) hits / n;
    }

    /** The argmax over dim 1 of (N, C) {@code scores}, the first maximum. */
    static int[] argmax(Tensor scores, String what) {
        checkScores(scores, what);
        float[] a = scores.detach().argmax(1, false).toFloatArray();
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (int) a[i];
        }
        return out;
    }

    private static void checkScores(Tensor scores, String what) {
        if (scores.dim() != 2) {
            throw new IllegalArgumentException(what + " must be (N, C), got shape " + Arrays.toString(scores.shape()));
        }
    }

    /** Targets (N) of class indices stored as floats, checked to be whole non-negative numbers. */
    static int[] labels(Tensor targets, int n) {
        if (targets.dim() != 1 || targets.size(0) != n) {
            throw new IllegalArgumentException("targets must be (N) = (" + n + "), got shape "
                    + Arrays.toString(targets.shape()));
        }
        float[] t = targets.detach().contiguous().toFloatArray();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (!(t[i] >= 0) || t[i] != Math.rint(t[i]) || t[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("target " + t[i] + " at index " + i + " is not a class index");
            }
            out[i] = (int) t[i];
        }
        return out;
    }
}
