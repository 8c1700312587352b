package dev.linea.internal;

import dev.linea.DType;
import dev.linea.Tensor;
import dev.linea.autograd.Node;

/**
 * The door through which Linea's own packages reach what {@link Tensor} keeps from its users: the backing
 * array and offset, construction from a raw layout, and the autograd slots. This is the JDK's
 * {@code SharedSecrets} pattern: {@code Tensor} installs the one {@link Bridge} when its class initialises,
 * and this package is not exported, so code outside Linea (on the module path) cannot use it.
 *
 * <p>Who may use what (docs/ARCHITECTURE.md): {@code dev.linea.compute} reads and makes storage;
 * {@code dev.linea.autograd} reads and sets the graph slots; {@code io} and {@code data} read and make
 * dense tensors. {@code nn} and {@code optim} use none of it: they go through {@code nn.functional} and
 * {@code compute}.
 */
public final class TensorAccess {
    /** What {@link Tensor} exposes to Linea's own packages. */
    public interface Bridge {
        float[] data(Tensor t);

        int offset(Tensor t);

        Tensor create(float[] data, int offset, int[] shape, int[] strides);

        Node gradFn(Tensor t);

        void setGradFn(Tensor t, Node node);

        void accumulateGrad(Tensor leaf, Tensor grad, boolean owned);

        DType dtype(Tensor t);

        long[] longs(Tensor t);

        Tensor createLong(long[] data, int offset, int[] shape, int[] strides);

        Tensor createBool(float[] data, int offset, int[] shape, int[] strides);

        void bumpVersion(Tensor t);
    }

    // Not volatile: it is written once, in Tensor's class initialiser, and every thread that holds a tensor
    // has seen that class initialised (class initialisation orders the write before any use).
    private static Bridge bridge;

    private TensorAccess() {}

    /** Called once, by {@link Tensor}'s static initialiser. */
    public static void install(Bridge b) {
        if (bridge != null) {
            throw new IllegalStateException("TensorAccess bridge installed twice");
        }
        bridge = b;
    }

    private static Bridge bridge() {
        Bridge b = bridge;
        if (b == null) {
            try {
                // A tensor may be made here before any Tensor exists: initialise the class, which installs the bridge.
                Class.forName(Tensor.class.getName(), true, Tensor.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
            b = bridge;
        }
        return b;
    }

    /**
     * The array backing {@code t}, shared with all its views. A BOOL tensor's floats are 0/1; for an INT64
     * tensor this is a converted copy of {@link #longs} (same layout), good for reading only.
     */
    public static float[] data(Tensor t) {
        return bridge().data(t);
    }

    /** Index of {@code t}'s first element in {@link #data}. */
    public static int offset(Tensor t) {
        return bridge().offset(t);
    }

    /** A tensor over {@code data} with the given layout (no copy; a leaf, not requiring grad). */
    public static Tensor create(float[] data, int offset, int[] shape, int[] strides) {
        return bridge().create(data, offset, shape, strides);
    }

    /** A dense row-major tensor over {@code data} (no copy). */
    public static Tensor create(float[] data, int[] shape) {
        return bridge().create(data, 0, shape, Shape.contiguousStrides(shape));
    }

    public static Node gradFn(Tensor t) {
        return bridge().gradFn(t);
    }

    /**
     * Counts a change of {@code t}'s storage made outside {@link Tensor}'s in-place ops (an optimizer
     * kernel writing a parameter), so that autograd refuses a backward through the old values.
     */
    public static void bumpVersion(Tensor t) {
        bridge().bumpVersion(t);
    }

    public static void setGradFn(Tensor t, Node node) {
        bridge().setGradFn(t, node);
    }

    public static void accumulateGrad(Tensor leaf, Tensor grad, boolean owned) {
        bridge().accumulateGrad(leaf, grad, owned);
    }

    public static DType dtype(Tensor t) {
        return bridge().dtype(t);
    }

    /** The {@code long[]} backing an INT64 tensor, shared with its views (null for other dtypes). */
    public static long[] longs(Tensor t) {
        return bridge().longs(t);
    }

    /** An INT64 tensor over {@code data} with the given layout (no copy). */
    public static Tensor createLong(long[] data, int offset, int[] shape, int[] strides) {
        return bridge().createLong(data, offset, shape, strides);
    }

    /** A dense row-major INT64 tensor over {@code data} (no copy). */
    public static Tensor createLong(long[] data, int[] shape) {
        return bridge().createLong(data, 0, shape, Shape.contiguousStrides(shape));
    }

    /** A dense BOOL tensor over 0/1 floats (no copy). */
    public static Tensor createBool(float[] data, int[] shape) {
        return bridge().createBool(data, 0, shape, Shape.contiguousStrides(shape));
    }
}
