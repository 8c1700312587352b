package dev.linea.nn;

import dev.linea.Generator;
import dev.linea.Tensor;

import java.util.Locale;

/**
 * Functional forms of the layers and losses, like {@code torch.nn.functional}:
 * {@code import static dev.linea.nn.F.*;} then {@code relu(x)}, {@code softmax(x, 1)}.
 */
public final class F {
    private F() {}

    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    public static Tensor leakyRelu(Tensor x, float negativeSlope) {
        return x.leakyRelu(negativeSlope);
    }

    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    public static Tensor gelu(Tensor x) {
        return x.gelu();
    }

    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }

    /** {@code x·Wᵀ + b}; see {@link Linear}. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return Tensor.linear(x, weight, bias);
    }

    /** Dropout with the global generator: zero with probability p, scale survivors by 1/(1-p); identity when not training. */
    public static Tensor dropout(Tensor x, float p, boolean training) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        if (!training || p == 0) {
            return x;
        }
        if (p == 1) {
            return x.mul(0f);
        }
        Tensor mask = Tensor.rand(Generator.global(), x.shape()).ge(p).mul(1f / (1f - p));
        return x.mul(mask);
    }

    /** Cross-entropy of logits (N, C) against class indices (N); mean over the batch. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return new CrossEntropyLoss().forward(logits, target);
    }

    public static Tensor mseLoss(Tensor input, Tensor target) {
        return new MSELoss().forward(input, target);
    }

    /** Python's repr of a float, for extraRepr ({@code 0.5}, {@code 0.01}, {@code 1e-05}). */
    static String pyFloat(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e16) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        String s = Float.toString((float) v);
        if (s.contains("E")) {
            String[] parts = s.split("E");
            int e = Integer.parseInt(parts[1]);
            String mant = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
            return mant + "e" + (e < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(e));
        }
        return s;
    }
}
