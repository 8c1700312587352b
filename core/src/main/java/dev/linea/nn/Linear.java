package dev.linea.nn;

import dev.linea.nn.functional.F;
import dev.linea.Tensor;

/**
 * Fully connected layer: {@code y = x·Wᵀ + b}.
 *
 * <p>Shapes: input (*, in_features), output (*, out_features); weight (out_features, in_features),
 * bias (out_features). Initialised as in PyTorch ({@link #resetParameters()}): weight and bias uniform in
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

    /** A layer with or without a bias. */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in_features=" + inFeatures
                    + ", out_features=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", new Parameter(Tensor.zeros(outFeatures, inFeatures)));
        this.bias = bias ? registerParameter("bias", new Parameter(Tensor.zeros(outFeatures))) : null;
        resetParameters();
    }

    /**
     * Re-draws the parameters from {@link #generator()} (the global generator unless set) as PyTorch's {@code reset_parameters}:
     * {@code kaiming_uniform_(weight, a=√5)}, then the bias U(−1/√in_features, 1/√in_features). The
     * constructor calls it (so a subclass's override runs before the subclass's own fields are set).
     */
    public void resetParameters() {
        resetParameters(generator());
    }

    /** {@link #resetParameters()} drawing from {@code gen}. */
    @Override
    public void resetParameters(dev.linea.Generator gen) {
        DefaultInit.kaimingUniformWithBias(weight, bias, java.util.Objects.requireNonNull(gen, "generator"));
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.linear(input, weight, bias));
    }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
