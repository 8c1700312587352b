package dev.linea.nn;

import dev.linea.internal.Pairs;
import dev.linea.compute.Convolution;
import dev.linea.nn.functional.F;

import dev.linea.Generator;
import dev.linea.Tensor;

/**
 * 2-D convolution (cross-correlation), like {@code torch.nn.Conv2d}.
 *
 * <p>Shapes: input (N, C_in, H, W) or unbatched (C_in, H, W); output (N, C_out, OH, OW) with
 * {@code OH = floor((H + 2·padding − dilation·(kH − 1) − 1)/stride) + 1} (likewise OW); weight
 * (C_out, C_in/groups, kH, kW), bias (C_out). With {@code groups = g} the channels are split into g groups
 * and output group i sees only input group i. Computed by im2col + sgemm; see {@link F#conv2d}.
 *
 * <p>Initialised as in PyTorch: weight and bias uniform in {@code [−1/√fan_in, 1/√fan_in]},
 * {@code fan_in = C_in/groups·kH·kW} (Kaiming-uniform with a = √5).
 */
public class Conv2d extends Module {
    public final int inChannels;
    public final int outChannels;
    public final int groups;
    private final int[] kernelSize, stride, padding, dilation;
    public final Parameter weight;
    public final Parameter bias;

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
        checkChannels("Conv2d", inChannels, outChannels, groups);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.kernelSize = Pairs.check("kernel_size", kernelSize, 1);
        this.stride = Pairs.check("stride", stride, 1);
        this.padding = Pairs.check("padding", padding, 0);
        this.dilation = Pairs.check("dilation", dilation, 1);
        int fanIn = inChannels / groups * this.kernelSize[0] * this.kernelSize[1];
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        Generator gen = Generator.global();
        this.weight = registerParameter("weight", new Parameter(
                Linear.uniform(gen, bound, outChannels, inChannels / groups, this.kernelSize[0], this.kernelSize[1])));
        this.bias = bias ? registerParameter("bias", new Parameter(Linear.uniform(gen, bound, outChannels))) : null;
    }

    static void checkChannels(String layer, int in, int out, int groups) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException(layer + " needs positive channel counts, got in_channels=" + in
                    + ", out_channels=" + out);
        }
        if (groups <= 0) {
            throw new IllegalArgumentException(layer + ": groups must be a positive integer, got " + groups);
        }
        if (in % groups != 0) {
            throw new IllegalArgumentException(layer + ": in_channels (" + in + ") must be divisible by groups (" + groups + ")");
        }
        if (out % groups != 0) {
            throw new IllegalArgumentException(layer + ": out_channels (" + out + ") must be divisible by groups (" + groups + ")");
        }
    }

    /** (kH, kW). */
    public int[] kernelSize() {
        return kernelSize.clone();
    }

    public int[] stride() {
        return stride.clone();
    }

    public int[] padding() {
        return padding.clone();
    }

    public int[] dilation() {
        return dilation.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(F.conv2d(input, weight, bias, stride, padding, dilation, groups));
    }

    /** PyTorch's format: padding, dilation, groups and bias appear only when not the default. */
    @Override
    public String extraRepr() {
        return Convolution.extraRepr(inChannels, outChannels, kernelSize, stride, padding, dilation, null, groups, bias != null);
    }
}
