package dev.linea.data;

/**
 * A step of sample preprocessing, like torchvision's transforms: {@link ToTensor} turns a
 * {@link GrayImage} into a float tensor, {@link Normalize} standardises it, and {@link #andThen}
 * chains steps ({@code new ToTensor().andThen(new Normalize(0.2860f, 0.3530f))}).
 *
 * @param <A> what the step takes
 * @param <B> what it gives
 */
@FunctionalInterface
public interface Transform<A, B> {
    /** Transforms one sample. */
    B apply(A input);

    /** This step followed by {@code next}. */
    default <C> Transform<A, C> andThen(Transform<? super B, ? extends C> next) {
        return Compose.of(this, next);
    }

    /**
     * Whether each output value depends only on the input value at the same position and its channel,
     * with the output shaped like the input. Image datasets then replace the whole transform by a
     * 256-entry table over the pixel values, giving the same floats without a tensor per image.
     * False unless a step declares it.
     */
    default boolean pointwise() {
        return false;
    }
}
