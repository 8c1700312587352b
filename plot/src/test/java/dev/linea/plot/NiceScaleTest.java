package dev.linea.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NiceScaleTest {
    @Test
    void lossRangeGetsRoundTicks() {
        NiceScale s = NiceScale.of(0.23, 2.31, 7, false);
        assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2, 2.5}, s.ticks(), 1e-12);
        assertEquals("0.5", s.format(0.5));
        assertEquals("0.0", s.format(0));
    }

    @Test
    void epochsUseIntegerSteps() {
        NiceScale s = NiceScale.of(1, 3, 7, true);
        assertEquals(1, s.step());
        assertEquals("2", s.format(2));
    }

    @Test
    void constantAndNonFiniteRangesAreWidened() {
        NiceScale c = NiceScale.of(5, 5, 7, false);
        assertTrue(c.min() < 5 && c.max() > 5);
        NiceScale z = NiceScale.of(0, 0, 7, false);
        assertTrue(z.min() < 0 && z.max() > 0);
        NiceScale n = NiceScale.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 7, false);
        assertEquals(0, n.min());
        assertEquals(1, n.max());
    }

    @Test
    void nearSquareLayouts() {
        assertEquals(new TileLayout(16, 8), TileLayout.nearSquare(128));
        assertEquals(new TileLayout(10, 10), TileLayout.nearSquare(100));
        assertEquals(new TileLayout(3, 3), TileLayout.nearSquare(7));
        assertEquals(new TileLayout(1, 1), TileLayout.nearSquare(1));
    }
}
