package dev.linea.internal;

/** PyTorch's check of a dropout probability, shared by {@code F.dropout}, the Dropout layers and the models. */
public final class Dropouts {
    private Dropouts() {}

    /** {@code p} when it is a probability, else an error naming it (PyTorch's wording). */
    public static float checked(float p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        return p;
    }
}
