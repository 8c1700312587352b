package dev.linea.compute;

import dev.linea.Tensor;

/**
 * The result of a fused operation: its forward output and its local backward rule, computed together
 * below autograd. {@code dev.linea.nn.functional} records the rule with {@code Autograd.record}; nothing
 * here knows of the graph.
 *
 * @param output   the forward value, a fresh tensor
 * @param backward maps dL/d(output) to dL/d(input) for each input, in the order the op documents
 */
public record Fused(Tensor output, Backward backward) {

    /** A local backward rule; {@code needed[i]} says whether input {@code i} wants a gradient (null where not). */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOutput, boolean[] needed);
    }
}
