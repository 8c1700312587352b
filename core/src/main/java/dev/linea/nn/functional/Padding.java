package dev.linea.nn.functional;

import dev.linea.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code F.pad}: each padded dimension is rebuilt as a concatenation of views of the input (single
 * positions for the border, the whole dimension for the middle), so the gradient of every mode is that of
 * narrow and cat: what a border position copied flows back to its source.
 */
final class Padding {
    private Padding() {}

    static Tensor pad(Tensor input, int[] pad, String mode, float value) {
        if (pad.length % 2 != 0 || pad.length / 2 > input.dim()) {
            throw new IllegalArgumentException("Padding length must be divisible by 2 and at most twice the number of "
                    + "dimensions (" + input.dim() + "), got " + Arrays.toString(pad));
        }
        if (!List.of("constant", "reflect", "replicate", "circular").contains(mode)) {
            throw new UnsupportedOperationException("Unrecognised padding mode " + mode);
        }
        Tensor x = input;
        for (int k = 0; k < pad.length / 2; k++) {
            int d = input.dim() - 1 - k, before = pad[2 * k], after = pad[2 * k + 1];
            if (before < 0 || after < 0) {
                throw new IllegalArgumentException("pad: negative padding (cropping) is not supported, got "
                        + Arrays.toString(pad));
            }
            x = padDim(x, d, before, after, mode, value);
        }
        return x;
    }

    private static Tensor padDim(Tensor x, int d, int before, int after, String mode, float value) {
        int n = x.size(d);
        if (before == 0 && after == 0) {
            return x;
        }
        if (mode.equals("reflect") && (before >= n || after >= n)) {
            throw new IllegalArgumentException("Argument #4: Padding size should be less than the corresponding input "
                    + "dimension, but got: padding (" + before + ", " + after + ") at dimension " + d + " of input " + x.dim());
        }
        if (mode.equals("circular") && (before > n || after > n)) {
            throw new IllegalArgumentException("Padding value causes wrapping around more than once.");
        }
        List<Tensor> parts = new ArrayList<>();
        if (mode.equals("constant")) {
            int[] s = x.shape();
            if (before > 0) {
                s[d] = before;
                parts.add(Tensor.full(s, value));
            }
            parts.add(x);
            if (after > 0) {
                s[d] = after;
                parts.add(Tensor.full(s, value));
            }
            return Tensor.cat(parts, d);
        }
        for (int i = -before; i < 0; i++) {
            parts.add(x.narrow(d, source(i, n, mode), 1));
        }
        parts.add(x);
        for (int i = n; i < n + after; i++) {
            parts.add(x.narrow(d, source(i, n, mode), 1));
        }
        return Tensor.cat(parts, d);
    }

    /** The input position that padded position {@code i} (outside [0, n)) copies. */
    private static int source(int i, int n, String mode) {
        return switch (mode) {
            case "reflect" -> i < 0 ? -i : 2 * (n - 1) - i;
            case "replicate" -> i < 0 ? 0 : n - 1;
            default -> ((i % n) + n) % n; // circular
        };
    }
}
