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
        this(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, "zeros");
    }

    /**
     * Every option with PyTorch's {@code padding_mode}: {@code "zeros"}, {@code "reflect"}, {@code "replicate"}
     * or {@code "circular"} (the input is padded so, then convolved without padding).
     */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                  int groups, boolean bias, String paddingMode) {
        super(inChannels, outChannels, kernelSize, stride, padding, dilation, false, Pairs.of(0), groups, bias);
        this.paddingMode = checkedMode(paddingMode);
        this.paddingName = null;
        int[] p = padding();
        this.sides = new int[] {p[1], p[1], p[0], p[0]};
    }

    /**
     * PyTorch's string padding: {@code "valid"} (none) or {@code "same"} (the output as large as the input,
     * stride 1 only; an odd total {@code dilation·(k − 1)} puts the extra row or column after), with
     * {@code paddingMode} as above.
     */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, String padding, int[] dilation,
                  int groups, boolean bias, String paddingMode) {
        super(inChannels, outChannels, kernelSize, stride, Pairs.of(0), dilation, false, Pairs.of(0), groups, bias);
        if (!"same".equals(padding) && !"valid".equals(padding)) {
            throw new IllegalArgumentException("Invalid padding string '" + padding + "', should be one of {'same', 'valid'}");
        }
        int[] s = stride(), k = kernelSize(), d = dilation();
        if (padding.equals("same") && (s[0] != 1 || s[1] != 1)) {
            throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
        }
        this.paddingMode = checkedMode(paddingMode);
        this.paddingName = padding;
        int th = padding.equals("same") ? d[0] * (k[0] - 1) : 0, tw = padding.equals("same") ? d[1] * (k[1] - 1) : 0;
        this.sides = new int[] {tw / 2, tw - tw / 2, th / 2, th - th / 2};
    }

    /** How the border is filled: zeros, reflect, replicate or circular. */
    public final String paddingMode;
    /** {@code "same"} or {@code "valid"} when given as a string, else null. */
    private final String paddingName;
    /** Padding (left, right, top, bottom), F.pad's order. */
    private final int[] sides;

    private static String checkedMode(String mode) {
        if (!java.util.List.of("zeros", "reflect", "replicate", "circular").contains(mode)) {
            throw new IllegalArgumentException("padding_mode must be one of {'zeros', 'replicate', 'reflect', 'circular'}, "
                    + "but got padding_mode='" + mode + "'");
        }
        return mode;
    }

    @Override
    public Tensor forward(Tensor input) {
        boolean symmetric = sides[0] == sides[1] && sides[2] == sides[3];
        if (paddingMode.equals("zeros") && symmetric) {
            return recordOutput(F.conv2d(input, weight, bias, stride, new int[] {sides[2], sides[0]}, dilation, groups));
        }
        Tensor padded = F.pad(input, sides, paddingMode.equals("zeros") ? "constant" : paddingMode, 0f);
        return recordOutput(F.conv2d(padded, weight, bias, stride, Pairs.of(0), dilation, groups));
    }

    /** PyTorch's form, with {@code padding=same|valid} and a {@code padding_mode} other than zeros. */
    @Override
    public String extraRepr() {
        String s = super.extraRepr();
        if (paddingName != null) {
            String strideText = ", stride=" + Pairs.str(stride);
            int at = s.indexOf(strideText) + strideText.length();
            s = s.substring(0, at) + ", padding=" + paddingName + s.substring(at);
        }
        return paddingMode.equals("zeros") ? s : s + ", padding_mode=" + paddingMode;
    }
}
