package dev.linea.onnx;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;

import java.util.Arrays;

/**
 * ONNX's Resize (and the older Upsample) in {@code nearest} and {@code linear} modes, one axis at a time:
 * each output coordinate is mapped to the input by {@code coordinate_transformation_mode}, then rounded by
 * {@code nearest_mode} (nearest) or interpolated between its two neighbours (linear, edges clamped).
 * Integer nearest upscaling of the last two axes with {@code asymmetric}/{@code floor} — what PyTorch's
 * {@code nn.Upsample} exports — runs on Linea's upsampling kernel.
 */
final class Resize {
    private Resize() {}

    record Options(String mode, String coordinates, String nearestMode, double cubicCoeff, int excludeOutside,
                   String aspectPolicy, int antialias) {}

    /**
     * Resizes {@code x} to {@code outSize} with the per-axis {@code scales} (output/input).
     */
    static Tensor resize(Tensor x, int[] outSize, double[] scales, Options o) {
        if (!o.mode().equals("nearest") && !o.mode().equals("linear")) {
            throw new IllegalArgumentException("Resize mode '" + o.mode() + "' is not supported (nearest, linear are)");
        }
        if (o.antialias() != 0 && o.mode().equals("linear") && anyBelowOne(scales)) {
            throw new IllegalArgumentException("Resize with antialias is not supported");
        }
        if (o.mode().equals("nearest") && fastNearest(x, outSize, o)) {
            return F.upsampleNearest(x, outSize[outSize.length - 1] / x.size(-1));
        }
        Tensor y = x;
        for (int axis = 0; axis < x.dim(); axis++) {
            int in = x.size(axis), out = outSize[axis];
            if (in == out && scales[axis] == 1.0) {
                continue;
            }
            y = o.mode().equals("nearest") ? nearestAxis(y, axis, in, out, scales[axis], o)
                    : linearAxis(y, axis, in, out, scales[axis], o);
        }
        return y;
    }

    private static boolean anyBelowOne(double[] s) {
        for (double v : s) {
            if (v < 1) {
                return true;
            }
        }
        return false;
    }

    private static boolean fastNearest(Tensor x, int[] out, Resize.Options o) {
        if (x.dim() != 4 || !o.coordinates().equals("asymmetric") || !o.nearestMode().equals("floor")
                || out[0] != x.size(0) || out[1] != x.size(1)) {
            return false;
        }
        int h = x.size(2), w = x.size(3);
        return out[2] % h == 0 && out[3] % w == 0 && out[2] / h == out[3] / w && out[2] / h >= 1;
    }

    /** The input coordinate of output coordinate {@code i}. */
    static double source(int i, int in, int out, double scale, String mode) {
        return switch (mode) {
            case "half_pixel" -> (i + 0.5) / scale - 0.5;
            case "half_pixel_symmetric" -> {
                double adjustment = out / (scale * in);
                double center = in / 2.0;
                double offset = center * (1 - adjustment);
                yield offset + (i + 0.5) / scale - 0.5;
            }
            case "pytorch_half_pixel" -> out > 1 ? (i + 0.5) / scale - 0.5 : 0;
            case "align_corners" -> out == 1 ? 0 : i * (in - 1) / (double) (out - 1);
            case "asymmetric" -> i / scale;
            case "tf_half_pixel_for_nearest" -> (i + 0.5) / scale;
            default -> throw new IllegalArgumentException("coordinate_transformation_mode '" + mode + "' is not supported");
        };
    }

    private static Tensor nearestAxis(Tensor x, int axis, int in, int out, double scale, Options o) {
        int[] idx = new int[out];
        for (int i = 0; i < out; i++) {
            double s = source(i, in, out, scale, o.coordinates());
            long j = switch (o.nearestMode()) {
                case "round_prefer_floor" -> s == Math.floor(s) + 0.5 ? (long) Math.floor(s) : Math.round(s);
                case "round_prefer_ceil" -> s == Math.floor(s) + 0.5 ? (long) Math.ceil(s) : Math.round(s);
                case "floor" -> (long) Math.floor(s);
                case "ceil" -> (long) Math.ceil(s);
                default -> throw new IllegalArgumentException("nearest_mode '" + o.nearestMode() + "' is not supported");
            };
            idx[i] = (int) Math.max(0, Math.min(in - 1, j));
        }
        return Indexing.indexSelect(x, axis, idx);
    }

    private static Tensor linearAxis(Tensor x, int axis, int in, int out, double scale, Options o) {
        int[] lo = new int[out], hi = new int[out];
        float[] w = new float[out];
        for (int i = 0; i < out; i++) {
            double s = Math.max(0, Math.min(in - 1, source(i, in, out, scale, o.coordinates())));
            int l = (int) Math.floor(s);
            lo[i] = l;
            hi[i] = Math.min(in - 1, l + 1);
            w[i] = (float) (s - l);
        }
        int[] wShape = new int[x.dim()];
        Arrays.fill(wShape, 1);
        wShape[axis] = out;
        Tensor weight = Tensor.of(w, wShape);
        Tensor a = Indexing.indexSelect(x, axis, lo), b = Indexing.indexSelect(x, axis, hi);
        return a.add(b.sub(a).mul(weight));
    }
}
