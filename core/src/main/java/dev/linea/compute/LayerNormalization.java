package dev.linea.compute;

import static dev.linea.compute.Compute.K;

import dev.linea.Tensor;

/**
 * The fused layer normalisation behind {@code F.layerNorm}: the input viewed as rows × cols, cols the
 * product of the normalised (trailing) dimensions, through {@code Backend.layerNormRows} and its backward.
 * Inputs: (input, weight, bias); weight and bias may be null.
 */
public final class LayerNormalization {
    private LayerNormalization() {}

    public static Fused layerNorm(Tensor input, int cols, Tensor weight, Tensor bias, float eps) {
        Dense x = Dense.of(input);
        int rows = cols == 0 ? 0 : input.numel() / cols;
        float[] gamma = weight == null ? null : Dense.array(weight), beta = bias == null ? null : Dense.array(bias);
        float[] y = new float[input.numel()], mean = new float[rows], rstd = new float[rows];
        K.layerNormRows(x.a(), x.off(), rows, cols, eps, gamma, beta, y, mean, rstd);
        int[] shape = input.shape();
        return new Fused(Tensor.wrap(y, shape), (g, need) -> {
            float[] gy = Dense.array(g.contiguous());
            float[] gx = need[0] ? new float[y.length] : null;
            float[] gGamma = need.length > 1 && need[1] ? new float[cols] : null;
            float[] gBeta = need.length > 2 && need[2] ? new float[cols] : null;
            K.layerNormBackwardRows(gy, x.a(), x.off(), rows, cols, mean, rstd, gamma, gx, gGamma, gBeta);
            int[] wShape = weight == null ? null : weight.shape();
            return new Tensor[] {gx == null ? null : Tensor.wrap(gx, shape),
                    gGamma == null ? null : Tensor.wrap(gGamma, wShape),
                    gBeta == null ? null : Tensor.wrap(gBeta, bias.shape())};
        });
    }
}
