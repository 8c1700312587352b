package dev.linea.nn;

import dev.linea.internal.Pairs;
import dev.linea.compute.Convolution;
import dev.linea.nn.functional.F;

import dev.linea.Generator;
import dev.linea.Tensor;

/**
 * 2-D transposed convolution, like {@code torch.nn.ConvTranspose2d}: the gradient of a {@link Conv2d} with
 * respect to its input, used to upsample.
 *
 * <p>Shapes: input (N, C_in, H, W) or unbatched (C_in, H, W); output (N, C_out, OH, OW) with
 * {@code OH = (H − 1)·stride − 2·padding + dilation·(kH − 1) + output_padding + 1} (likewise OW); weight
 * (C_in, C_out/groups, kH, kW), bias (C_out). {@code output_padding} (smaller than stride or dilation) picks
 * among the input sizes a strided convolution maps to H. Computed as col2im of {@code Wᵀ·x}; see
 * {@link F#convTranspose2d}.
 *
 * <p>Initialised as in PyTorch: uniform in {@code [−1/√fan_in, 1/√fan_in]} with
 * {@code fan_in = C_out/groups·kH·kW} (the weight's second dimension times the kernel area).
 */
public class ConvTranspose2d extends Module {
    public final int inChannels;
    public final int outChannels;
    public final int groups;
    private final int[] kernelSize, stride, padding, outputPadding, dilation;
    public final Parameter weight;
    public final Parameter bias;

    /** Square kernel, stride 1, no padding, with bias. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 0);
    }

    /** Square kernel with stride, padding and output padding, with bias. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int outputPadding) {
        this(inChannels, outChannels, Pairs.of(kernelSize), Pairs.of(stride), Pairs.of(padding), Pairs.of(outputPadding),
                1, true, Pairs.of(1));
    }

    /** Every option, as (height, width) pairs, in PyTorch's argument order. */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding,
                           int[] outputPadding, int groups, boolean bias, int[] dilation) {
        Conv2d.checkChannels("ConvTranspose2d", inChannels, outChannels, groups);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.kernelSize = Pairs.check("kernel_size", kernelSize, 1);
        this.stride = Pairs.check("stride", stride, 1);
        this.padding = Pairs.check("padding", padding, 0);
        this.outputPadding = Pairs.check("output_padding", outputPadding, 0);
        this.dilation = Pairs.check("dilation", dilation, 1);
        for (int d = 0; d < 2; d++) {
            if (this.outputPadding[d] >= this.stride[d] && this.outputPadding[d] >= this.dilation[d]) {
                throw new IllegalArgumentException("ConvTranspose2d: output padding must be smaller than either stride or "
                        + "dilation, got output_padding=" + Pairs.str(this.outputPadding) + ", stride="
                        + Pairs.str(this.stride) + ", dilation=" + Pairs.str(this.dilation));
            }
        }
        int fanIn = outChannels / groups * this.kernelSize[0] * this.kernelSize[1];
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        Generator gen = Generator.global();
        this.weight = registerParameter("weight", new Parameter(
                Linear.uniform(gen, bound, inChannels, outChannels / groups, this.kernelSize[0], this.kernelSize[1])));
        this.bias = bias ? registerParameter("bias", new Parameter(Linear.uniform(gen, bound, outChannels))) : null;
    }

    public int[] kernelSize() {
        return kernelSize.clone();
    }

    public int[] stride() {
        return stride.clone();
    }

    public int[] padding() {
        return padding.clone();
    }

    public int[] outputPadding() {
        return outputPadding.clone();
    }

    public int[] dilation() {
        return dilation.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.convTranspose2d(input, weight, bias, stride, padding, outputPadding, groups, dilation));
    }

    /** PyTorch's format: non-default padding, dilation, output_padding, groups and bias only. */
    @Override
    public String extraRepr() {
        return Convolution.extraRepr(inChannels, outChannels, kernelSize, stride, padding, dilation, outputPadding, groups,
                bias != null);
    }
}
