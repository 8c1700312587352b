package dev.linea;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TensorFormatterTest {
    private static int[] ones(int rank) {
        int[] shape = new int[rank];
        Arrays.fill(shape, 1);
        return shape;
    }

    @Test
    void aTensorOfThousandsOfDimensionsPrintsWithoutOverflowingTheStack() {
        for (int rank : new int[] {5000, 20_000}) {
            assertEquals("tensor(" + "[".repeat(rank) + "0." + "]".repeat(rank) + ")",
                    Tensor.zeros(ones(rank)).toString(), "rank " + rank);
        }
    }

    @Test
    void nestedDimensionsAreSeparatedByOneBlankLinePerDimensionBelow() {
        // torch.arange(24.).reshape(2, 3, 1, 4) / 7
        assertEquals("""
                tensor([[[[0.0000, 0.1429, 0.2857, 0.4286]],

                         [[0.5714, 0.7143, 0.8571, 1.0000]],

                         [[1.1429, 1.2857, 1.4286, 1.5714]]],


                        [[[1.7143, 1.8571, 2.0000, 2.1429]],

                         [[2.2857, 2.4286, 2.5714, 2.7143]],

                         [[2.8571, 3.0000, 3.1429, 3.2857]]]])""",
                Tensor.arange(0f, 24, 1f).reshape(2, 3, 1, 4).div(7f).toString());
    }

    @Test
    void aSummarisedDeepTensorPrintsAsPyTorchDoes() throws Exception {
        // str(torch.arange(1024.).reshape([2] * 10 + [1] * 50)) in PyTorch 1.13: 184,258 characters.
        int[] shape = new int[60];
        Arrays.fill(shape, 0, 10, 2);
        Arrays.fill(shape, 10, 60, 1);
        String s = Tensor.arange(0f, 1024, 1f).reshape(shape).toString();
        assertEquals(184_258, s.length());
        assertEquals("cc304d80346bd85fbb8fb9263c0849265c6d7686098daa086bc4657e990ce6b1", HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void wholeNumbersSpreadOverMoreThan1000TimesPrintInScientificNotation() {
        // PyTorch 1.13's outputs for the same values.
        assertEquals("tensor([1.0000e+00, 1.0010e+03])", Tensor.of(new float[] {1, 1001}, 2).toString());
        assertEquals("tensor([   1., 1000.])", Tensor.of(new float[] {1, 1000}, 2).toString());
        assertEquals("tensor([   0., 2000.])", Tensor.of(new float[] {0, 2000}, 2).toString());
        assertEquals("tensor([-1.0000e+00,  5.0000e+03,         nan])",
                Tensor.of(new float[] {-1, 5000, Float.NaN}, 3).toString());
    }
}
