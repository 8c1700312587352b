package dev.linea.data;

import dev.linea.Generator;
import dev.linea.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ShiftTest {

    @Test
    void shiftMovesPixelsAndFillsTheUncoveredBorder() {
        Tensor img = Tensor.arange(0f, 9, 1f).reshape(1, 1, 3, 3).add(1f); // 1..9
        assertArrayEquals(new float[] {-1, -1, -1, -1, 1, 2, -1, 4, 5},
                Shift.shift(img, 1, 1, -1f).toFloatArray());
        assertArrayEquals(new float[] {5, 6, 0, 8, 9, 0, 0, 0, 0},
                Shift.shift(img, -1, -1, 0f).toFloatArray());
        assertArrayEquals(img.toFloatArray(), Shift.shift(img, 0, 0, 0f).toFloatArray());
        assertArrayEquals(new float[9], Shift.shift(img, 3, 0, 0f).toFloatArray());
    }

    @Test
    void randomShiftsAreReproducibleFromTheGeneratorAndStayInRange() {
        Tensor imgs = Tensor.rand(new Generator(1), 50, 1, 8, 8);
        Tensor a = Shift.random(imgs, 2, 0f, new Generator(5));
        Tensor b = Shift.random(imgs, 2, 0f, new Generator(5));
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertEquals(imgs.sum().item() > 0, true);
        // A shift of at most 2 keeps the centre 4x4 block of each image inside the image: nothing is lost there.
        float[] src = imgs.toFloatArray(), out = a.toFloatArray();
        int kept = 0;
        for (int i = 0; i < 50 * 64; i++) {
            kept += out[i] != 0 ? 1 : 0;
        }
        assertEquals(true, kept >= 50 * 36, "at least a 6x6 block survives each shift, kept " + kept);
        assertEquals(src.length, out.length);
    }

    @Test
    void wrongShapesAndNegativeRangesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shift.shift(Tensor.zeros(4, 4), 1, 1, 0));
        assertEquals(true, e.getMessage().contains("[4, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shift.random(Tensor.zeros(1, 4, 4), -1, 0, new Generator(0)));
    }
}
