package dev.linea.data;

import dev.linea.Tensor;

/**
 * A mini-batch: the examples' inputs and targets stacked along a new first dimension of size B.
 *
 * @param inputs shape (B, ...input shape), e.g. (B, 1, 28, 28) for images
 * @param targets shape (B, ...target shape), e.g. (B) int64 class indices, ready for
 *     {@code CrossEntropyLoss}
 */
public record Batch(Tensor inputs, Tensor targets) {
    /** Number of examples, B. */
    public int size() {
        return inputs.size(0);
    }
}
