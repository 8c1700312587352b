package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.internal.Pairs;
import dev.linea.nn.functional.F;

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
 * {@code fan_in = C_out/groups·kH·kW} (the weight's second dimension times the kernel area); see {@link ConvNd}.
 */
public class ConvTranspose2d extends ConvNd {

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
        // checked before the weights are drawn, so a rejected layer leaves the generator untouched
        checkOutputPadding(Pairs.check("output_padding", outputPadding, 0), Pairs.check("stride", stride, 1),
                Pairs.check("dilation", dilation, 1));
        super(inChannels, outChannels, kernelSize, stride, padding, dilation, true, outputPadding, groups, bias);
    }

    private static void checkOutputPadding(int[] outputPadding, int[] stride, int[] dilation) {
        for (int d = 0; d < 2; d++) {
            if (outputPadding[d] >= stride[d] && outputPadding[d] >= dilation[d]) {
                throw new IllegalArgumentException("ConvTranspose2d: output padding must be smaller than either stride or "
                        + "dilation, got output_padding=" + Pairs.str(outputPadding) + ", stride=" + Pairs.str(stride)
                        + ", dilation=" + Pairs.str(dilation));
            }
        }
    }

    /** (opH, opW): extra rows and columns on one side of the output. */
    public int[] outputPadding() {
        return outputPadding.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.convTranspose2d(input, weight, bias, stride, padding, outputPadding, groups, dilation));
    }
}
