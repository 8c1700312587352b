package dev.linea.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.linea.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Resize in linear mode (ONNX's backend cases cover only nearest): PyTorch's bilinear
 * {@code F.interpolate} values, for half_pixel (align_corners=False) and align_corners.
 */
class ResizeTest {
    private static final Tensor X = Tensor.of(new float[] {0, 1, 2, 3}, 1, 1, 2, 2);

    private static Resize.Options linear(String coordinates) {
        return new Resize.Options("linear", coordinates, "round_prefer_floor", -0.75, 0, "stretch", 0);
    }

    @Test
    void halfPixelMatchesPyTorchsBilinear() {
        Tensor y = Resize.resize(X, new int[] {1, 1, 4, 4}, new double[] {1, 1, 2, 2}, linear("half_pixel"));
        assertArrayEquals(new float[] {0.0f, 0.25f, 0.75f, 1.0f, 0.5f, 0.75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f, 2.5f,
                2.0f, 2.25f, 2.75f, 3.0f}, y.toFloatArray(), 1e-6f);
    }

    @Test
    void alignCornersMatchesPyTorchsBilinear() {
        Tensor y = Resize.resize(X, new int[] {1, 1, 3, 5}, new double[] {1, 1, 1.5, 2.5}, linear("align_corners"));
        assertArrayEquals(new float[] {0.0f, 0.25f, 0.5f, 0.75f, 1.0f, 1.0f, 1.25f, 1.5f, 1.75f, 2.0f, 2.0f, 2.25f, 2.5f,
                2.75f, 3.0f}, y.toFloatArray(), 1e-6f);
    }

    @Test
    void linearResizeCarriesTheGradient() {
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3}, 1, 1, 2, 2).requiresGrad(true);
        Resize.resize(x, new int[] {1, 1, 4, 4}, new double[] {1, 1, 2, 2}, linear("half_pixel")).sum().backward();
        // each input pixel's weights over the 16 outputs sum to 4 (the area grows 4 times)
        assertArrayEquals(new float[] {4, 4, 4, 4}, x.grad().toFloatArray(), 1e-5f);
    }
}
