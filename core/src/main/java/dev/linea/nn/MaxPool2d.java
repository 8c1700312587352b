package dev.linea.nn;

import dev.linea.internal.Pairs;
import dev.linea.nn.functional.F;

import dev.linea.Tensor;

/**
 * 2-D max pooling, like {@code torch.nn.MaxPool2d}: each output is the maximum of a kH×kW window (taps
 * {@code dilation} apart, moved by {@code stride}, over an image padded with −∞).
 *
 * <p>Shapes: input (N, C, H, W) or (C, H, W); output (N, C, OH, OW) with
 * {@code OH = floor((H + 2·padding − dilation·(kH − 1) − 1)/stride) + 1} (ceil in {@code ceilMode}, where a
 * window may not start in the right padding). Padding must be at most half the kernel. The gradient goes
 * to the first maximum of each window (row-major order), as in PyTorch. No parameters.
 */
public class MaxPool2d extends Module {
    private final int[] kernelSize, stride, padding, dilation;
    public final boolean ceilMode;
    private final boolean scalar;

    /** Square window with stride = kernel size (the usual halving pool for 2). */
    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize);
    }

    public MaxPool2d(int kernelSize, int stride) {
        this(kernelSize, stride, 0, 1, false);
    }

    public MaxPool2d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        this(Pairs.of(kernelSize), Pairs.of(stride), Pairs.of(padding), Pairs.of(dilation), ceilMode, true);
    }

    /** Every option as (height, width) pairs. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this(kernelSize, stride, padding, dilation, ceilMode, false);
    }

    private MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode, boolean scalar) {
        this.kernelSize = Pairs.check("kernel_size", kernelSize, 1);
        this.stride = Pairs.check("stride", stride == null ? kernelSize : stride, 1);
        this.padding = Pairs.check("padding", padding, 0);
        this.dilation = Pairs.check("dilation", dilation, 1);
        this.ceilMode = ceilMode;
        this.scalar = scalar;
        if (this.padding[0] > this.kernelSize[0] / 2 || this.padding[1] > this.kernelSize[1] / 2) {
            throw new IllegalArgumentException("MaxPool2d: pad should be at most half of kernel size, but got padding="
                    + Pairs.str(this.padding) + " and kernel_size=" + Pairs.str(this.kernelSize));
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode));
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + Pairs.str(kernelSize, scalar) + ", stride=" + Pairs.str(stride, scalar)
                + ", padding=" + Pairs.str(padding, scalar) + ", dilation=" + Pairs.str(dilation, scalar)
                + ", ceil_mode=" + (ceilMode ? "True" : "False");
    }
}
