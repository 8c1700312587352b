package dev.linea.nn.init;

import dev.linea.Generator;
import dev.linea.autograd.GradMode;
import dev.linea.Tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * Weight initialisation, as {@code torch.nn.init}: each method fills a tensor in place (outside autograd,
 * so it works on parameters that require grad) and returns it. Random methods draw from
 * {@link Generator#global()} (seeded by {@code Linea.manualSeed}) or from a given {@link Generator}, so a
 * seed reproduces the weights; elements are drawn in row-major order.
 *
 * <p>Fans: for a weight of shape (out, in, k1, k2, ...) the receptive field is {@code r = k1·k2·…} (1 for
 * a 2-D weight), {@code fan_in = in·r} and {@code fan_out = out·r}; tensors with fewer than 2 dimensions
 * have no fans.
 * <pre>
 * uniform_(a, b)                 U(a, b), computed in float as PyTorch does for a float tensor
 * normal_(mean, std)             N(mean, std²)
 * xavierUniform_(gain)           U(-A, A),  A = gain·√(6 / (fan_in + fan_out))
 * xavierNormal_(gain)            N(0, σ²),  σ = gain·√(2 / (fan_in + fan_out))
 * kaimingUniform_(a, mode, nl)   U(-B, B),  B = gain·√(3 / fan),  gain = calculateGain(nl, a), fan by mode
 * kaimingNormal_(a, mode, nl)    N(0, σ²),  σ = gain / √fan
 * truncNormal_(mean, std, a, b)  N(mean, std²) conditioned on [a, b] (inverse-CDF sampling)
 * orthogonal_(gain)              gain·Q, Q from the QR decomposition of a normal matrix (rows × numel/rows),
 *                                with R's diagonal made positive, so Q is uniformly distributed
 * </pre>
 */
public final class Init {
    private Init() {}

    /** Which fan {@link #kaimingUniform_} and {@link #kaimingNormal_} scale by. */
    public enum FanMode {
        /** Preserves the variance of the activations in the forward pass. */
        FAN_IN,
        /** Preserves the variance of the gradients in the backward pass. */
        FAN_OUT
    }

    /** A weight's fan-in and fan-out. */
    public record Fans(int fanIn, int fanOut) {}

    // ------------------------------------------------------------------ gains and fans

    /** {@link #calculateGain(String, double)} with the default parameter (negative slope 0.01 for leaky_relu). */
    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, Double.NaN);
    }

    /**
     * The recommended gain for a nonlinearity: 1 for linear, conv*, sigmoid; 5/3 for tanh; √2 for relu;
     * √(2 / (1 + slope²)) for leaky_relu (slope = {@code param}, 0.01 when NaN); 3/4 for selu.
     */
    public static double calculateGain(String nonlinearity, double param) {
        String nl = nonlinearity.toLowerCase(Locale.ROOT);
        return switch (nl) {
            case "linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                 "conv_transpose3d", "sigmoid" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> {
                double slope = Double.isNaN(param) ? 0.01 : param;
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity
                    + " (supported: linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid, tanh, relu, leaky_relu, selu)");
        };
    }

    /** The fans of a weight of 2 or more dimensions; throws naming the shape otherwise. */
    public static Fans calculateFanInAndFanOut(Tensor tensor) {
        int[] shape = tensor.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (shape "
                    + Arrays.toString(shape) + ")");
        }
        long receptive = 1;
        for (int d = 2; d < shape.length; d++) {
            receptive *= shape[d];
        }
        return new Fans(Math.toIntExact(shape[1] * receptive), Math.toIntExact(shape[0] * receptive));
    }

    private static int fan(Tensor tensor, FanMode mode) {
        Fans f = calculateFanInAndFanOut(tensor);
        return mode == FanMode.FAN_IN ? f.fanIn() : f.fanOut();
    }

    // ------------------------------------------------------------------ constant fills

    /** Fills with {@code value}. */
    public static Tensor constant_(Tensor tensor, double value) {
        float v = (float) value;
        return fill(tensor, () -> v);
    }

    /** Fills with 0. */
    public static Tensor zeros_(Tensor tensor) {
        return constant_(tensor, 0);
    }

    /** Fills with 1. */
    public static Tensor ones_(Tensor tensor) {
        return constant_(tensor, 1);
    }

    // ------------------------------------------------------------------ random fills

    /** U(a, b) from the global generator. */
    public static Tensor uniform_(Tensor tensor, double a, double b) {
        return uniform_(tensor, a, b, Generator.global());
    }

    /**
     * U(a, b) as PyTorch computes it for a float tensor: with {@code from = (float) a}, {@code to = (float) b}
     * and u = {@link Generator#nextFloat()} (24 random bits, one draw per element), each element is
     * {@code u·(to − from) + from} in float arithmetic. (Rounding can give exactly {@code to}.)
     */
    public static Tensor uniform_(Tensor tensor, double a, double b, Generator gen) {
        if (!(a <= b)) {
            throw new IllegalArgumentException("uniform_ expects a <= b, got a=" + a + ", b=" + b);
        }
        float from = (float) a, to = (float) b, range = to - from;
        if (!Float.isFinite(from) || !Float.isFinite(to) || !Float.isFinite(range)) {
            throw new IllegalArgumentException("uniform_ expects a, b and b - a within float range, got a=" + a + ", b=" + b);
        }
        return fill(tensor, () -> gen.nextFloat() * range + from);
    }

    /** N(mean, std²) from the global generator. */
    public static Tensor normal_(Tensor tensor, double mean, double std) {
        return normal_(tensor, mean, std, Generator.global());
    }

    /** N(mean, std²). */
    public static Tensor normal_(Tensor tensor, double mean, double std, Generator gen) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal_ expects std >= 0, got " + std);
        }
        return fill(tensor, () -> mean + std * gen.nextGaussian());
    }

    /** Xavier/Glorot uniform with gain 1 from the global generator. */
    public static Tensor xavierUniform_(Tensor tensor) {
        return xavierUniform_(tensor, 1.0, Generator.global());
    }

    /** Xavier/Glorot uniform: U(-A, A), A = gain·√(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform_(Tensor tensor, double gain, Generator gen) {
        Fans f = calculateFanInAndFanOut(tensor);
        double std = gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut()));
        double a = Math.sqrt(3.0) * std;
        return uniform_(tensor, -a, a, gen);
    }

    /** Xavier/Glorot normal with gain 1 from the global generator. */
    public static Tensor xavierNormal_(Tensor tensor) {
        return xavierNormal_(tensor, 1.0, Generator.global());
    }

    /** Xavier/Glorot normal: N(0, σ²), σ = gain·√(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal_(Tensor tensor, double gain, Generator gen) {
        Fans f = calculateFanInAndFanOut(tensor);
        return normal_(tensor, 0, gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut())), gen);
    }

    /** Kaiming/He uniform with PyTorch's defaults: a 0, fan_in, leaky_relu (so gain √2), global generator. */
    public static Tensor kaimingUniform_(Tensor tensor) {
        return kaimingUniform_(tensor, 0, FanMode.FAN_IN, "leaky_relu", Generator.global());
    }

    /**
     * Kaiming/He uniform: U(-B, B), B = √3·gain/√fan with gain = calculateGain(nonlinearity, a) ({@code a} is
     * leaky_relu's negative slope). {@code Linear}'s and the convolutions' default is a = √5, fan_in,
     * leaky_relu, which makes B = 1/√fan_in (the same float for every fan_in below 274,349,613).
     */
    public static Tensor kaimingUniform_(Tensor tensor, double a, FanMode mode, String nonlinearity, Generator gen) {
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode));
        double bound = Math.sqrt(3.0) * std;
        return uniform_(tensor, -bound, bound, gen);
    }

    /** Kaiming/He normal with PyTorch's defaults: a 0, fan_in, leaky_relu, global generator. */
    public static Tensor kaimingNormal_(Tensor tensor) {
        return kaimingNormal_(tensor, 0, FanMode.FAN_IN, "leaky_relu", Generator.global());
    }

    /** Kaiming/He normal: N(0, σ²), σ = calculateGain(nonlinearity, a)/√fan. */
    public static Tensor kaimingNormal_(Tensor tensor, double a, FanMode mode, String nonlinearity, Generator gen) {
        return normal_(tensor, 0, calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode)), gen);
    }

    /** Truncated normal with PyTorch's defaults (mean 0, std 1, cut at [-2, 2]), global generator. */
    public static Tensor truncNormal_(Tensor tensor) {
        return truncNormal_(tensor, 0, 1, -2, 2, Generator.global());
    }

    /**
     * N(mean, std²) conditioned on [a, b] ({@code a, b} are values, not multiples of std). Sampled by
     * inverting the normal CDF Φ: with α = (a - mean)/std, β = (b - mean)/std and u uniform in
     * [Φ(α), Φ(β)], x = mean + std·Φ⁻¹(u), clamped to [a, b]. Intervals on the upper side are sampled
     * mirrored, so far tails keep their precision.
     */
    public static Tensor truncNormal_(Tensor tensor, double mean, double std, double a, double b, Generator gen) {
        if (!(std > 0) || !(a < b)) {
            throw new IllegalArgumentException("truncNormal_ expects std > 0 and a < b, got std=" + std + ", a=" + a + ", b=" + b);
        }
        double alpha = (a - mean) / std, beta = (b - mean) / std;
        boolean mirror = alpha > 0;
        double lo = mirror ? -beta : alpha, hi = mirror ? -alpha : beta;
        double pLo = normCdf(lo), pHi = normCdf(hi);
        return fill(tensor, () -> {
            double u = pLo + (pHi - pLo) * gen.nextDouble();
            double z = normQuantile(u, lo, hi);
            double x = mean + std * (mirror ? -z : z);
            return Math.min(Math.max(x, a), b);
        });
    }

    /** Orthogonal with gain 1 from the global generator. */
    public static Tensor orthogonal_(Tensor tensor) {
        return orthogonal_(tensor, 1.0, Generator.global());
    }

    /**
     * A (semi-)orthogonal matrix times {@code gain}, viewing the tensor as rows = size(0) by
     * cols = numel/rows: a rows × cols normal matrix (transposed when rows &lt; cols) is factored A = QR by
     * modified Gram–Schmidt with re-orthogonalisation in double precision, R's diagonal being positive
     * (PyTorch's sign correction {@code Q·sign(diag R)}); then WᵀW = gain²·I (rows ≥ cols) or WWᵀ = gain²·I.
     */
    public static Tensor orthogonal_(Tensor tensor, double gain, Generator gen) {
        int[] shape = tensor.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("Only tensors with 2 or more dimensions are supported by orthogonal_ (shape "
                    + Arrays.toString(shape) + ")");
        }
        int rows = shape[0];
        int cols = tensor.numel() / rows;
        if (tensor.numel() == 0) {
            return tensor;
        }
        double[][] flat = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                flat[i][j] = gen.nextGaussian();
            }
        }
        boolean transposed = rows < cols;
        int m = Math.max(rows, cols), n = Math.min(rows, cols);
        // columns of the tall m × n matrix, each a double[m]
        double[][] q = new double[n][m];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (transposed) {
                    q[i][j] = flat[i][j];
                } else {
                    q[j][i] = flat[i][j];
                }
            }
        }
        for (int k = 0; k < n; k++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    double dot = 0;
                    for (int i = 0; i < m; i++) {
                        dot += q[j][i] * q[k][i];
                    }
                    for (int i = 0; i < m; i++) {
                        q[k][i] -= dot * q[j][i];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm += q[k][i] * q[k][i];
            }
            norm = Math.sqrt(norm);
            if (!(norm > 0)) {
                throw new IllegalStateException("orthogonal_: the random matrix was rank deficient; draw again");
            }
            for (int i = 0; i < m; i++) {
                q[k][i] /= norm;
            }
        }
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (float) (gain * (transposed ? q[i][j] : q[j][i]));
            }
        }
        return write(tensor, out);
    }

    // ------------------------------------------------------------------ helpers

    /** Standard normal CDF Φ(x) = erfc(-x/√2)/2, relative error below 1.2e-7 in both tails. */
    static double normCdf(double x) {
        return x < 0 ? 0.5 * erfc(-x / Math.sqrt(2)) : 1 - 0.5 * erfc(x / Math.sqrt(2));
    }

    /** erfc(z) for z ≥ 0 (Numerical Recipes' Chebyshev fit, fractional error below 1.2e-7). */
    private static double erfc(double z) {
        double t = 1.0 / (1.0 + 0.5 * z);
        return t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
    }

    /** The x in [lo, hi] with Φ(x) = u: Newton's method kept inside a shrinking bracket (bisection fallback). */
    static double normQuantile(double u, double lo, double hi) {
        double a = Math.max(lo, -38), b = Math.min(hi, 38);
        double x = Math.min(Math.max(0, a), b);
        for (int it = 0; it < 100; it++) {
            double f = normCdf(x) - u;
            if (f == 0) {
                return x;
            }
            if (f > 0) {
                b = x;
            } else {
                a = x;
            }
            double pdf = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
            double next = x - f / pdf;
            if (!(next > a && next < b)) {
                next = 0.5 * (a + b);
            }
            if (Math.abs(next - x) <= 1e-12 * Math.max(1, Math.abs(x))) {
                return next;
            }
            x = next;
        }
        return x;
    }

    private static Tensor fill(Tensor tensor, DoubleSupplier values) {
        float[] out = new float[tensor.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values.getAsDouble();
        }
        return write(tensor, out);
    }

    private static Tensor write(Tensor tensor, float[] values) {
        try (var scope = GradMode.noGrad()) {
            tensor.copy_(Tensor.wrap(values, tensor.shape()));
        }
        return tensor;
    }
}
