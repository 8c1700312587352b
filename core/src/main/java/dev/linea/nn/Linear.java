package dev.linea.nn;

import dev.linea.Generator;
import dev.linea.Tensor;

/**
 * Fully connected layer: {@code y = x·Wᵀ + b}.
 *
 * <p>Shapes: input (*, in_features), output (*, out_features); weight (out_features, in_features),
 * bias (out_features). Initialised as in PyTorch: weight and bias uniform in
 * {@code [-1/√in_features, 1/√in_features]} (Kaiming-uniform with a = √5 for the weight).
 * It has in×out + out parameters.
 */
public class Linear extends Module {
    public final int inFeatures;
    public final int outFeatures;
    public final Parameter weight;
    public final Parameter bias;

    /** A layer with a bias. */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in_features=" + inFeatures
                    + ", out_features=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        float bound = (float) (1.0 / Math.sqrt(inFeatures));
        Generator gen = Generator.global();
        this.weight = registerParameter("weight", new Parameter(uniform(gen, bound, outFeatures, inFeatures)));
        this.bias = bias ? registerParameter("bias", new Parameter(uniform(gen, bound, outFeatures))) : null;
    }

    static Tensor uniform(Generator gen, float bound, int... shape) {
        return Tensor.rand(gen, shape).mul(2 * bound).sub(bound);
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(Tensor.linear(input, weight, bias));
    }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
