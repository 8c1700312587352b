package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.internal.PyRepr;
import dev.linea.nn.functional.F;
import dev.linea.nn.init.Init;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Layer normalisation over the trailing {@code normalizedShape} dimensions, as {@code torch.nn.LayerNorm}:
 * {@code y = (x − E[x])/√(Var[x] + eps)·weight + bias}, statistics per slice (biased variance), input
 * (*, normalizedShape). With {@code elementwiseAffine}, {@code weight} (ones) and {@code bias} (zeros) of
 * shape {@code normalizedShape} are learned. The kernel runs through the backend ({@code layerNormRows}).
 */
public class LayerNorm extends Module {
    public final int[] normalizedShape;
    public final double eps;
    public final boolean elementwiseAffine;
    public final Parameter weight;
    public final Parameter bias;

    /** eps = 1e-5, learned weight and bias, as PyTorch's defaults. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("LayerNorm needs a non-empty normalized_shape of positive sizes, got "
                    + Arrays.toString(normalizedShape));
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        this.weight = elementwiseAffine ? registerParameter("weight", new Parameter(Tensor.ones(normalizedShape))) : null;
        this.bias = elementwiseAffine ? registerParameter("bias", new Parameter(Tensor.zeros(normalizedShape))) : null;
    }

    /** PyTorch's {@code reset_parameters}: weight 1, bias 0 (nothing random). */
    @Override
    public void resetParameters(dev.linea.Generator gen) {
        if (elementwiseAffine) {
            Init.ones_(weight);
            Init.zeros_(bias);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.layerNorm(input, normalizedShape, weight, bias, eps));
    }

    /** PyTorch's {@code extra_repr}: {@code (4,), eps=1e-05, elementwise_affine=True}. */
    @Override
    public String extraRepr() {
        String shape = normalizedShape.length == 1 ? "(" + normalizedShape[0] + ",)"
                : Arrays.stream(normalizedShape).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(", ")"));
        return shape + ", eps=" + PyRepr.pyFloat(eps) + ", elementwise_affine=" + (elementwiseAffine ? "True" : "False");
    }
}
