package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.internal.Pairs;
import dev.linea.nn.functional.F;

/**
 * 2-D convolution (cross-correlation), like {@code torch.nn.Conv2d}.
 *
 * <p>Shapes: input (N, C_in, H, W) or unbatched (C_in, H, W); output (N, C_out, OH, OW) with
 * {@code OH = floor((H + 2·padding − dilation·(kH − 1) − 1)/stride) + 1} (likewise OW); weight
 * (C_out, C_in/groups, kH, kW), bias (C_out). With {@code groups = g} the channels are split into g groups
 * and output group i sees only input group i. Computed by im2col + sgemm; see {@link F#conv2d}.
 *
 * <p>Initialised as in PyTorch: weight and bias uniform in {@code [−1/√fan_in, 1/√fan_in]},
 * {@code fan_in = C_in/groups·kH·kW} (Kaiming-uniform with a = √5); see {@link ConvNd}.
 */
public class Conv2d extends ConvNd {

    /** Square kernel, stride 1, no padding, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    /** Square kernel with the given stride and padding, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true);
    }

    /** Every option, square. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups,
                  boolean bias) {
        this(inChannels, outChannels, Pairs.of(kernelSize), Pairs.of(stride), Pairs.of(padding), Pairs.of(dilation),
                groups, bias);
    }

    /** Every option, as (height, width) pairs. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                  int groups, boolean bias) {
        super(inChannels, outChannels, kernelSize, stride, padding, dilation, false, Pairs.of(0), groups, bias);
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.conv2d(input, weight, bias, stride, padding, dilation, groups));
    }
}
