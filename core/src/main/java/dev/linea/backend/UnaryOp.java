package dev.linea.backend;

/** Elementwise unary operations; some take one parameter ({@code p}). */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, ABS, RELU, SIGMOID, TANH,
    /** {@code x > 0 ? x : p·x}. */
    LEAKY_RELU,
    /** GELU, exact form {@code x·Φ(x)}. */
    GELU,
    /** {@code x^p}. */
    POW,
    /** {@code sign(x)}, 0 at 0. */
    SIGN,
    /** {@code 1/x}. */
    RECIPROCAL,
    /** {@code x·x}. */
    SQUARE,
    /** {@code max(x, p)}: clamp from below. */
    CLAMP_MIN,
    /** {@code min(x, p)}: clamp from above. */
    CLAMP_MAX,
    /** {@code p}: fill. */
    FILL;

    /** The scalar definition every kernel must match. */
    public float apply(float x, float p) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case ABS -> Math.abs(x);
            case RELU -> x > 0f ? x : 0f;
            case SIGMOID -> x >= 0f ? (float) (1.0 / (1.0 + Math.exp(-x))) : (float) (Math.exp(x) / (1.0 + Math.exp(x)));
            case TANH -> (float) Math.tanh(x);
            case LEAKY_RELU -> x > 0f ? x : p * x;
            case GELU -> (float) (0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0))));
            case POW -> (float) Math.pow(x, p);
            case SIGN -> Math.signum(x);
            case RECIPROCAL -> 1f / x;
            case SQUARE -> x * x;
            case CLAMP_MIN -> Float.isNaN(x) ? x : Math.max(x, p);
            case CLAMP_MAX -> Float.isNaN(x) ? x : Math.min(x, p);
            case FILL -> p;
        };
    }
}
