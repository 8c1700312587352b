package dev.linea.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linea.Tensor;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void accuracyIsTheFractionOfEqualLabels() {
        assertEquals(0.5, Metrics.accuracy(new int[] {0, 1, 2, 3}, new int[] {0, 2, 1, 3}));
        assertEquals(0, Metrics.accuracy(new int[0], new int[0]));
        assertEquals(2.0 / 3, Metrics.accuracy(Tensor.of(new float[][] {{1, 0}, {0, 1}, {3, 2}}),
                Tensor.of(new float[] {0, 1, 1})), 1e-12);
    }

    /** sklearn's top_k_accuracy_score example: y_true [0, 1, 2, 2], these scores, k=2 gives 0.75. */
    @Test
    void topKAccuracyMatchesSklearnsExample() {
        Tensor scores = Tensor.of(new float[][] {{0.5f, 0.2f, 0.2f}, {0.3f, 0.4f, 0.2f}, {0.2f, 0.4f, 0.3f},
                {0.7f, 0.2f, 0.1f}});
        Tensor y = Tensor.of(new float[] {0, 1, 2, 2});
        assertEquals(0.75, Metrics.topKAccuracy(scores, y, 2));
        assertEquals(0.5, Metrics.topKAccuracy(scores, y, 1));
        assertEquals(1.0, Metrics.topKAccuracy(scores, y, 3));
    }

    /** A stable ascending sort reversed: among equal scores the higher index ranks first. */
    @Test
    void tiesAreRankedAsSklearnRanksThem() {
        Tensor scores = Tensor.of(new float[][] {{0.4f, 0.4f, 0.2f}});
        assertEquals(1.0, Metrics.topKAccuracy(scores, Tensor.of(new float[] {1}), 1));
        assertEquals(0.0, Metrics.topKAccuracy(scores, Tensor.of(new float[] {0}), 1));
        assertEquals(1.0, Metrics.topKAccuracy(scores, Tensor.of(new float[] {0}), 2));
    }

    @Test
    void badArgumentsAreRefused() {
        Tensor scores = Tensor.of(new float[][] {{1, 0}});
        assertEquals("k must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> Metrics.topKAccuracy(scores, Tensor.of(new float[] {0}), 0)).getMessage());
        assertEquals("target 2 at index 0 is not a class of the 2 scored", assertThrows(IllegalArgumentException.class,
                () -> Metrics.topKAccuracy(scores, Tensor.of(new float[] {2}), 1)).getMessage());
        assertEquals("targets must be (N) = (1), got shape [2]", assertThrows(IllegalArgumentException.class,
                () -> Metrics.accuracy(scores, Tensor.of(new float[] {0, 1}))).getMessage());
        assertEquals("scores must be (N, C), got shape [2]", assertThrows(IllegalArgumentException.class,
                () -> Metrics.accuracy(Tensor.of(new float[] {0, 1}), Tensor.of(new float[] {0, 1}))).getMessage());
    }
}
