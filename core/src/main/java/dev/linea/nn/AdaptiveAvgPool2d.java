package dev.linea.nn;

import dev.linea.internal.Pairs;
import dev.linea.nn.functional.F;

import dev.linea.Tensor;

/**
 * Adaptive 2-D average pooling, like {@code torch.nn.AdaptiveAvgPool2d}: pools any (N, C, H, W) or
 * (C, H, W) input to a fixed (N, C, outH, outW). Output cell {@code i} averages input rows
 * {@code [floor(i·H/outH), ceil((i+1)·H/outH))}, and likewise for columns, so windows may overlap or
 * differ in size when H is not a multiple of outH. No parameters.
 */
public class AdaptiveAvgPool2d extends Module {
    private final int[] outputSize;
    private final boolean scalar;

    /** Square output {@code outputSize × outputSize}. */
    public AdaptiveAvgPool2d(int outputSize) {
        this.outputSize = Pairs.check("output_size", Pairs.of(outputSize), 1);
        this.scalar = true;
    }

    /** Output (outH, outW). */
    public AdaptiveAvgPool2d(int[] outputSize) {
        this.outputSize = Pairs.check("output_size", outputSize, 1);
        this.scalar = false;
    }

    public int[] outputSize() {
        return outputSize.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.adaptiveAvgPool2d(input, outputSize));
    }

    @Override
    public String extraRepr() {
        return "output_size=" + Pairs.str(outputSize, scalar);
    }
}
