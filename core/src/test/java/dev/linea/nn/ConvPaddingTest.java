package dev.linea.nn;

import static dev.linea.GradTesting.check;
import static dev.linea.GradTesting.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;
import org.junit.jupiter.api.Test;

/** Conv2d's padding="same"|"valid" and padding_mode, and F.pad: printing, errors, shapes and gradchecks. */
class ConvPaddingTest {
    private static final int[] ONE = {1, 1};

    @Test
    void printsAsPyTorch() {
        assertEquals("Conv2d(1, 2, kernel_size=(2, 4), stride=(1, 1), padding=same, dilation=(1, 2), padding_mode=reflect)",
                new Conv2d(1, 2, new int[] {2, 4}, ONE, "same", new int[] {1, 2}, 1, true, "reflect").toString());
        assertEquals("Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=valid)",
                new Conv2d(1, 2, new int[] {3, 3}, ONE, "valid", ONE, 1, true, "zeros").toString());
    }

    @Test
    void sameKeepsTheSizeEvenForEvenKernels() {
        Conv2d c = new Conv2d(2, 3, new int[] {4, 2}, ONE, "same", new int[] {1, 3}, 1, true, "circular");
        assertArrayEquals(new int[] {1, 3, 5, 7}, c.forward(Tensor.zeros(1, 2, 5, 7)).shape());
    }

    @Test
    void badArgumentsGetPyTorchsErrors() {
        assertEquals("Invalid padding string 'full', should be one of {'same', 'valid'}", assertThrows(
                IllegalArgumentException.class, () -> new Conv2d(1, 1, ONE, ONE, "full", ONE, 1, true, "zeros")).getMessage());
        assertEquals("padding='same' is not supported for strided convolutions", assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(1, 1, ONE, new int[] {2, 1}, "same", ONE, 1, true, "zeros")).getMessage());
        assertEquals("padding_mode must be one of {'zeros', 'replicate', 'reflect', 'circular'}, but got padding_mode='x'",
                assertThrows(IllegalArgumentException.class,
                        () -> new Conv2d(1, 1, ONE, ONE, new int[] {0, 0}, ONE, 1, true, "x")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.pad(Tensor.zeros(1, 3, 3), new int[] {3, 3}, "reflect", 0f));
        assertEquals("Padding value causes wrapping around more than once.", assertThrows(IllegalArgumentException.class,
                () -> F.pad(Tensor.zeros(1, 3, 3), new int[] {4, 0}, "circular", 0f)).getMessage());
        assertEquals("Unrecognised padding mode foo", assertThrows(UnsupportedOperationException.class,
                () -> F.pad(Tensor.zeros(3), new int[] {1, 0}, "foo", 0f)).getMessage());
    }

    @Test
    void padPassesGradcheckInEveryMode() {
        for (String mode : new String[] {"constant", "reflect", "replicate", "circular"}) {
            check(in -> F.pad(in.get(0), new int[] {2, 1, 0, 2}, mode, 0.5f), randn(1, 2, 3, 4));
        }
        Conv2d c = new Conv2d(2, 2, new int[] {3, 2}, ONE, "same", ONE, 1, true, "reflect");
        check(in -> c.forward(in.get(0)), randn(2, 1, 2, 4, 5));
    }
}
