package dev.linea.onnx;

import dev.linea.Tensor;

import java.util.Arrays;

/**
 * A value flowing through an imported graph: a float tensor (Linea's, differentiable), or an integer/bool
 * tensor kept as longs (shapes, axes, indices, masks: Linea's tensors are float32, and these never need a
 * gradient). Exactly one of {@code tensor} and {@code ints} is set.
 */
final class Value {
    final Tensor tensor;
    final long[] ints;
    final int[] shape;
    final DataType type;

    private Value(Tensor tensor, long[] ints, int[] shape, DataType type) {
        this.tensor = tensor;
        this.ints = ints;
        this.shape = shape;
        this.type = type;
    }

    static Value of(Tensor t) {
        return new Value(t, null, t.shape(), DataType.FLOAT);
    }

    static Value ints(long[] values, int[] shape, DataType type) {
        return new Value(null, values, shape.clone(), type);
    }

    static Value ints(long[] values, int... shape) {
        return ints(values, shape, DataType.INT64);
    }

    boolean isFloat() {
        return tensor != null;
    }

    int rank() {
        return shape.length;
    }

    int numel() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** As a float tensor: integer values are converted (ONNX would need a Cast; PyTorch's exports do cast). */
    Tensor asTensor() {
        if (tensor != null) {
            return tensor;
        }
        float[] f = new float[ints.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = ints[i];
        }
        return Tensor.of(f, shape);
    }

    /** As longs: float values must be whole numbers. */
    long[] asLongs(String what) {
        if (ints != null) {
            return ints;
        }
        float[] f = tensor.toFloatArray();
        long[] out = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            if (f[i] != Math.rint(f[i])) {
                throw new IllegalArgumentException(what + " must hold integers, got " + f[i]);
            }
            out[i] = (long) f[i];
        }
        return out;
    }

    /** As floats, for scalar or small static inputs (scales, clip bounds). */
    float[] asFloats() {
        if (tensor != null) {
            return tensor.toFloatArray();
        }
        float[] f = new float[ints.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = ints[i];
        }
        return f;
    }

    @Override
    public String toString() {
        return (tensor != null ? "float" : type.name().toLowerCase()) + Arrays.toString(shape);
    }
}
