package dev.linea.nn;

import dev.linea.internal.Pairs;
import dev.linea.nn.functional.F;

import dev.linea.Tensor;

/**
 * 2-D average pooling, like {@code torch.nn.AvgPool2d}: each output is the mean of a kH×kW window moved by
 * {@code stride} over the zero-padded image.
 *
 * <p>Shapes: input (N, C, H, W) or (C, H, W); output (N, C, OH, OW) with
 * {@code OH = floor((H + 2·padding − kH)/stride) + 1} (ceil in {@code ceilMode}). The divisor is the
 * window's size including padding when {@code countIncludePad} (the default), else the number of image
 * elements it covers. No parameters.
 */
public class AvgPool2d extends Module {
    private final int[] kernelSize, stride, padding;
    public final boolean ceilMode;
    public final boolean countIncludePad;
    private final boolean scalar;

    /** Square window with stride = kernel size. */
    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0, false, true);
    }

    public AvgPool2d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this(Pairs.of(kernelSize), Pairs.of(stride), Pairs.of(padding), ceilMode, countIncludePad, true);
    }

    /** Every option as (height, width) pairs. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        this(kernelSize, stride, padding, ceilMode, countIncludePad, false);
    }

    private AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
                      boolean scalar) {
        this.kernelSize = Pairs.check("kernel_size", kernelSize, 1);
        this.stride = Pairs.check("stride", stride == null ? kernelSize : stride, 1);
        this.padding = Pairs.check("padding", padding, 0);
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.scalar = scalar;
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad));
    }

    /** PyTorch prints only kernel_size, stride and padding. */
    @Override
    public String extraRepr() {
        return "kernel_size=" + Pairs.str(kernelSize, scalar) + ", stride=" + Pairs.str(stride, scalar)
                + ", padding=" + Pairs.str(padding, scalar);
    }
}
