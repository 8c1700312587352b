package dev.linea.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    private static final double EPS = 1e-12;

    /** scikit-learn's classification_report example: y_true [0, 1, 2, 2, 2], y_pred [0, 0, 2, 2, 1]. */
    @Test
    void sklearnsDocumentedExampleGivesItsPublishedReport() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 1, 2, 2, 2}, new int[] {0, 0, 2, 2, 1}, 3);
        assertArrayEquals(new long[][] {{1, 0, 0}, {1, 0, 0}, {0, 1, 2}}, m.counts());
        ClassificationReport r = m.report(List.of("class 0", "class 1", "class 2"));
        assertEquals(0.5, r.classes().get(0).precision(), EPS);
        assertEquals(1.0, r.classes().get(0).recall(), EPS);
        assertEquals(2.0 / 3, r.classes().get(0).f1(), EPS);
        assertEquals(0.0, r.classes().get(1).f1(), EPS);
        assertEquals(1.0, r.classes().get(2).precision(), EPS);
        assertEquals(2.0 / 3, r.classes().get(2).recall(), EPS);
        assertEquals(0.8, r.classes().get(2).f1(), EPS);
        assertEquals(3, r.classes().get(2).support());
        assertEquals(0.6, r.accuracy(), EPS);
        // sklearn prints macro avg 0.50 0.56 0.49 and weighted avg 0.70 0.60 0.61
        assertEquals(0.5, r.macro().precision(), EPS);
        assertEquals((1 + 0 + 2.0 / 3) / 3, r.macro().recall(), EPS);
        assertEquals((2.0 / 3 + 0 + 0.8) / 3, r.macro().f1(), EPS);
        assertEquals((0.5 + 0 + 3) / 5, r.weighted().precision(), EPS);
        assertEquals(0.6, r.weighted().recall(), EPS);
        assertEquals((2.0 / 3 + 0 + 2.4) / 5, r.weighted().f1(), EPS);
        String text = r.toString();
        assertTrue(text.contains("macro avg         0.500   0.556     0.489        5"), text);
        assertTrue(text.contains("weighted avg      0.700   0.600     0.613        5"), text);
        assertTrue(text.contains("accuracy                            0.600        5"), text);
    }

    /** Class 3 is never predicted, class 2 neither present nor predicted: sklearn's zero_division=0 gives 0s. */
    @Test
    void aClassNeverPredictedHasPrecisionZeroAndAnAbsentClassCountsInTheMacroAverage() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 1, 1, 3}, new int[] {0, 1, 0, 0}, 4);
        assertEquals(1.0 / 3, m.precision(0), EPS);
        assertEquals(0.5, m.f1(0), EPS);
        assertEquals(1.0, m.precision(1), EPS);
        assertEquals(0.5, m.recall(1), EPS);
        assertEquals(2.0 / 3, m.f1(1), EPS);
        for (int c : new int[] {2, 3}) {
            assertEquals(0, m.precision(c), EPS);
            assertEquals(0, m.recall(c), EPS);
            assertEquals(0, m.f1(c), EPS);
        }
        assertEquals(0, m.support(2));
        assertEquals(1, m.support(3));
        ClassificationReport r = m.report(List.of("a", "b", "c", "d"));
        assertEquals(1.0 / 3, r.macro().precision(), EPS);
        assertEquals(0.375, r.macro().recall(), EPS);
        assertEquals((0.5 + 2.0 / 3) / 4, r.macro().f1(), EPS);
        assertEquals((1.0 / 3 + 2) / 4, r.weighted().precision(), EPS);
        assertEquals(0.5, r.weighted().recall(), EPS);
        assertEquals((0.5 + 4.0 / 3) / 4, r.weighted().f1(), EPS);
        assertEquals(0.5, r.accuracy(), EPS);
    }

    @Test
    void anEmptyMatrixReportsZerosInsteadOfNaN() {
        ClassificationReport r = new ConfusionMatrix(2).report(List.of("x", "y"));
        assertEquals(0, r.accuracy());
        assertEquals(0, r.macro().f1());
        assertEquals(0, r.weighted().precision());
    }

    @Test
    void batchesOfLogitsAccumulateTheirArgmaxAgainstTheTargets() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(Tensor.of(new float[][] {{2, 1, 0}, {0, 5, 1}}), Tensor.of(new float[] {0, 2}));
        m.add(Tensor.of(new float[][] {{1, 1, 0}}), Tensor.of(new float[] {1})); // a tie: the first maximum, 0
        assertArrayEquals(new long[][] {{1, 0, 0}, {1, 0, 0}, {0, 1, 0}}, m.counts());
        assertEquals(3, m.total());
        assertEquals(1.0 / 3, m.accuracy(), EPS);
    }

    @Test
    void badInputIsRefusedNamingTheValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[] {0, 3}, new int[] {0, 1}, 3));
        assertEquals("at index 1: class indices must be in [0, 3), got true 3 and predicted 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[] {0}, new int[] {0, 1}, 3));
        assertEquals("y_true and y_pred have different lengths: 1 and 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(0));
        assertTrue(e.getMessage().contains("at least 1 class"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ConfusionMatrix(2).add(Tensor.of(new float[][] {{1, 0}}), Tensor.of(new float[] {0.5f})));
        assertEquals("target 0.5 at index 0 is not a class index", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0}, new int[] {0}, 2).report(List.of("one")));
        assertTrue(e.getMessage().contains("2 classes but 1 class names"), e.getMessage());
    }
}
