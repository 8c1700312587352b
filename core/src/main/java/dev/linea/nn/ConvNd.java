package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.internal.Pairs;

/**
 * The shared part of {@link Conv2d} and {@link ConvTranspose2d} (PyTorch's {@code _ConvNd}): channel and
 * group counts, the spatial arguments, the weight and bias, their initialisation and the printed form.
 *
 * <p>Spatial arguments are (height, width) pairs, as Linea's convolutions are 2-D. Weight shape
 * (C_out, C_in/groups, kH, kW), or (C_in, C_out/groups, kH, kW) when {@link #transposed}; bias (C_out).
 * Initialised as in PyTorch ({@link #resetParameters()}): weight and bias uniform in
 * {@code [−1/√fan_in, 1/√fan_in]}, fan_in being the weight's second dimension times kH·kW.
 */
public abstract class ConvNd extends Module {
    public final int inChannels;
    public final int outChannels;
    public final int groups;
    /** Whether this is a transposed convolution (which swaps the weight's first two dimensions). */
    public final boolean transposed;
    /** Checked copies, read by the subclasses' forward (the getters return copies). */
    final int[] kernelSize, stride, padding, dilation, outputPadding;
    public final Parameter weight;
    public final Parameter bias;

    /**
     * Checks the arguments (positive channels divisible by {@code groups}; kernel, stride and dilation
     * positive; padding and output padding non-negative), creates the parameters and initialises them with
     * {@link #resetParameters()}. The argument order is PyTorch's.
     */
    protected ConvNd(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                     boolean transposed, int[] outputPadding, int groups, boolean bias) {
        String layer = layerName();
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException(layer + " needs positive channel counts, got in_channels=" + inChannels
                    + ", out_channels=" + outChannels);
        }
        if (groups <= 0) {
            throw new IllegalArgumentException(layer + ": groups must be a positive integer, got " + groups);
        }
        if (inChannels % groups != 0) {
            throw new IllegalArgumentException(layer + ": in_channels (" + inChannels + ") must be divisible by groups ("
                    + groups + ")");
        }
        if (outChannels % groups != 0) {
            throw new IllegalArgumentException(layer + ": out_channels (" + outChannels + ") must be divisible by groups ("
                    + groups + ")");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.transposed = transposed;
        this.kernelSize = Pairs.check("kernel_size", kernelSize, 1);
        this.stride = Pairs.check("stride", stride, 1);
        this.padding = Pairs.check("padding", padding, 0);
        this.dilation = Pairs.check("dilation", dilation, 1);
        this.outputPadding = Pairs.check("output_padding", outputPadding, 0);
        int kH = this.kernelSize[0], kW = this.kernelSize[1];
        Tensor w = transposed ? Tensor.zeros(inChannels, outChannels / groups, kH, kW)
                : Tensor.zeros(outChannels, inChannels / groups, kH, kW);
        this.weight = registerParameter("weight", new Parameter(w));
        this.bias = bias ? registerParameter("bias", new Parameter(Tensor.zeros(outChannels))) : null;
        resetParameters();
    }

    /** The class name for messages (that of the nearest named class, for anonymous subclasses). */
    private String layerName() {
        Class<?> c = getClass();
        while (c.getSimpleName().isEmpty()) {
            c = c.getSuperclass();
        }
        return c.getSimpleName();
    }

    /**
     * Re-draws the parameters from {@link #generator()} (the global generator unless set) as PyTorch's {@code reset_parameters}:
     * {@code kaiming_uniform_(weight, a=√5)}, then the bias U(−1/√fan_in, 1/√fan_in). The constructor calls
     * it (so a subclass's override runs before the subclass's own fields are set).
     */
    public void resetParameters() {
        resetParameters(generator());
    }

    /** {@link #resetParameters()} drawing from {@code gen}. */
    @Override
    public void resetParameters(dev.linea.Generator gen) {
        DefaultInit.kaimingUniformWithBias(weight, bias, java.util.Objects.requireNonNull(gen, "generator"));
    }

    /** (kH, kW). */
    public int[] kernelSize() {
        return kernelSize.clone();
    }

    /** (sH, sW). */
    public int[] stride() {
        return stride.clone();
    }

    /** Zero padding (pH, pW) on each side. */
    public int[] padding() {
        return padding.clone();
    }

    /** Spacing (dH, dW) between kernel elements. */
    public int[] dilation() {
        return dilation.clone();
    }

    /**
     * PyTorch's format: in and out channels, kernel_size and stride always; padding, dilation,
     * output_padding, groups and bias only when not the default, e.g.
     * {@code 3, 6, kernel_size=(3, 5), stride=(2, 2), padding=(1, 2), groups=3, bias=False}.
     */
    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(Pairs.str(kernelSize)).append(", stride=").append(Pairs.str(stride));
        if (padding[0] != 0 || padding[1] != 0) {
            s.append(", padding=").append(Pairs.str(padding));
        }
        if (dilation[0] != 1 || dilation[1] != 1) {
            s.append(", dilation=").append(Pairs.str(dilation));
        }
        if (outputPadding[0] != 0 || outputPadding[1] != 0) {
            s.append(", output_padding=").append(Pairs.str(outputPadding));
        }
        if (groups != 1) {
            s.append(", groups=").append(groups);
        }
        if (bias == null) {
            s.append(", bias=False");
        }
        return s.toString();
    }
}
