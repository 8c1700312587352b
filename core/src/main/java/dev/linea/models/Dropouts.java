package dev.linea.models;

/** The check the models' Dropout probability gets when the model is built, not at its first forward pass. */
final class Dropouts {
    private Dropouts() {}

    /** {@code p} when it is a probability, else an error naming it (PyTorch's wording). */
    static float checked(float p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        return p;
    }
}
