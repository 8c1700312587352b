package dev.linea.nn.functional;

/** How a loss combines per-element values: their mean, their sum, or none (one value per element). */
public enum Reduction {
    MEAN, SUM, NONE;

    /** PyTorch's spelling: {@code 'mean'}, {@code 'sum'}, {@code 'none'}. */
    public String pyName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
