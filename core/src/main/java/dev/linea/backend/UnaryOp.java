package dev.linea.backend;

/**
 * Elementwise unary operations; some take one parameter ({@code p}). NaN, ±Inf and ±0 follow PyTorch 1.13's
 * CPU kernels bit for bit: a NaN input stays NaN (ReLU and the clamps included), except {@link #SIGN}, which
 * maps NaN to 0 as {@code torch.sign} does.
 */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, ABS,
    /** {@code x < 0 ? 0 : x}: NaN and -0 pass through, as {@code torch.relu}. */
    RELU,
    SIGMOID, TANH,
    /** {@code x > 0 ? x : p·x} (NaN·p is NaN). */
    LEAKY_RELU,
    /** GELU, exact form {@code x·Φ(x)}. */
    GELU,
    /** {@code x^p}. */
    POW,
    /** {@code x > 0 ? 1 : x < 0 ? -1 : 0}: +0 at ±0 and at NaN, as {@code torch.sign}. */
    SIGN,
    /** {@code 1/x}. */
    RECIPROCAL,
    /** {@code x·x}. */
    SQUARE,
    /** {@code x < p ? p : x}, NaN if {@code x} or {@code p} is: clamp from below ({@code x} kept at ties, so -0 stays). */
    CLAMP_MIN,
    /** {@code x > p ? p : x}, NaN if {@code x} or {@code p} is: clamp from above. */
    CLAMP_MAX,
    /** {@code p}: fill. */
    FILL,
    /** The error function {@code erf(x) = 2/√π ∫₀ˣ e^{-t²} dt} (ONNX's Erf, the exact GELU's core). */
    ERF;

    /** The scalar definition every kernel must match. */
    public float apply(float x, float p) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case ABS -> Math.abs(x);
            case RELU -> x < 0f ? 0f : x; // not x > 0 ? x : 0, which maps NaN to 0 and hides it
            case SIGMOID -> x >= 0f ? (float) (1.0 / (1.0 + Math.exp(-x))) : (float) (Math.exp(x) / (1.0 + Math.exp(x)));
            case TANH -> (float) Math.tanh(x);
            case LEAKY_RELU -> x > 0f ? x : p * x;
            case GELU -> (float) (0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0))));
            case POW -> (float) Math.pow(x, p);
            case SIGN -> x > 0f ? 1f : x < 0f ? -1f : 0f;
            case RECIPROCAL -> 1f / x;
            case SQUARE -> x * x;
            case CLAMP_MIN -> Float.isNaN(p) ? p : x < p ? p : x;
            case CLAMP_MAX -> Float.isNaN(p) ? p : x > p ? p : x;
            case FILL -> p;
            case ERF -> (float) Erf.erfSmall(x);
        };
    }
}
