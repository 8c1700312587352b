package dev.linea.backend;

/**
 * Elementwise binary operations. Comparisons produce 1 for true and 0 for false (IEEE: false against NaN,
 * except {@code NE}); {@code MAX} and {@code MIN} give NaN if either side is NaN, as {@code torch.maximum}.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN,
    GT, LT, GE, LE, EQ, NE,
    /**
     * {@code a <= 0 ? 0 : b}: ReLU's backward with {@code a} the input and {@code b} the incoming gradient;
     * a NaN input passes the gradient on, as PyTorch's {@code threshold_backward}.
     */
    RELU_GRAD,
    /**
     * {@code b·(Φ(a) + a·φ(a))}: exact GELU's backward with {@code a} the input and {@code b} the incoming
     * gradient ({@code Φ}, {@code φ} the standard normal CDF and density), evaluated in double.
     */
    GELU_GRAD;

    /** The scalar definition every kernel must match. */
    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case MAX -> Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.max(a, b);
            case MIN -> Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.min(a, b);
            case GT -> a > b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
            case RELU_GRAD -> a <= 0f ? 0f : b;
            case GELU_GRAD -> (float) (b * (0.5 * (1 + Erf.erf(a / Math.sqrt(2))) + a * Math.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI)));
        };
    }
}
