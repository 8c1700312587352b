package dev.linea.compute;

import static dev.linea.compute.Compute.K;

import dev.linea.Tensor;
import dev.linea.backend.Parallel;
import dev.linea.internal.TensorAccess;

/**
 * The optimizers' update kernels applied to tensors: the parameter is updated in place wherever it lives
 * (a view into a larger tensor included: its own elements, at its own offset and strides, and no
 * neighbour's), from a gradient of any layout. State tensors (moments, momentum buffers) are the
 * optimizer's own, dense and of the parameter's shape.
 *
 * <p>Every update is elementwise, so splitting it over threads ({@link #GRAIN} elements a chunk) gives
 * the same bits for any thread count.
 */
public final class OptimizerSteps {
    /** Elements per parallel chunk (a CNN's 200K-weight layer: ~0.8 ms of Adam on one thread). */
    private static final int GRAIN = 1 << 15;

    private OptimizerSteps() {}

    /** An update of {@code n} elements of a parameter held at {@code p[pOff ..]}. */
    @FunctionalInterface
    private interface Update {
        void run(float[] p, int pOff);
    }

    /**
     * Runs {@code update} on the parameter's elements: in its storage when dense, else on a copy written back.
     * Bumps the parameter's version, as PyTorch's in-place update does, so that a backward through a graph
     * that saved the old weights fails instead of using the new ones.
     */
    private static void inPlace(Tensor param, Update update) {
        if (param.isContiguous()) {
            update.run(TensorAccess.data(param), TensorAccess.offset(param));
        } else {
            float[] values = param.toFloatArray();
            update.run(values, 0);
            Ops.copyInto(param, TensorAccess.create(values, param.shape()));
        }
        TensorAccess.bumpVersion(param);
    }

    /** The array of a state tensor, which must be dense (the optimizer made it). */
    private static Dense state(Tensor s, Tensor param, String name) {
        if (s == null) {
            return null;
        }
        if (!s.isContiguous() || s.numel() != param.numel()) {
            throw new IllegalStateException("optimizer state '" + name + "' must be a dense tensor of the parameter's "
                    + param.numel() + " elements, got shape " + java.util.Arrays.toString(s.shape()));
        }
        return new Dense(TensorAccess.data(s), TensorAccess.offset(s));
    }

    /** See {@link dev.linea.backend.Backend#adamUpdate}. */
    public static void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, float lr, float beta1, float beta2,
                            float eps, float biasCorrection1, float biasCorrection2) {
        Dense g = Dense.of(grad), m = state(expAvg, param, "exp_avg"), v = state(expAvgSq, param, "exp_avg_sq");
        if (m.off() != v.off()) {
            throw new IllegalStateException("exp_avg and exp_avg_sq must start at the same offset");
        }
        int n = param.numel();
        inPlace(param, (p, pOff) -> Parallel.forRange(n, GRAIN, (from, to) -> K.adamUpdate(p, pOff + from, g.a(),
                g.off() + from, m.a(), v.a(), m.off() + from, to - from, lr, beta1, beta2, eps, biasCorrection1,
                biasCorrection2)));
    }

    /** See {@link dev.linea.backend.Backend#sgdUpdate}; {@code momentumBuffer} null for plain SGD. */
    public static void sgd(Tensor param, Tensor grad, Tensor momentumBuffer, boolean firstStep, float lr, float momentum,
                           float dampening, float weightDecay, boolean nesterov) {
        Dense g = Dense.of(grad), b = state(momentumBuffer, param, "momentum_buffer");
        int n = param.numel();
        inPlace(param, (p, pOff) -> Parallel.forRange(n, GRAIN, (from, to) -> K.sgdUpdate(p, pOff + from, g.a(),
                g.off() + from, b == null ? null : b.a(), b == null ? 0 : b.off() + from, to - from, firstStep, lr,
                momentum, dampening, weightDecay, nesterov)));
    }

    /** See {@link dev.linea.backend.Backend#rmspropUpdate}; {@code gradAvg} null unless centered, {@code buf} null without momentum. */
    public static void rmsprop(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor buf, float lr,
                               float alpha, float eps, float weightDecay, float momentum) {
        Dense g = Dense.of(grad), s = state(squareAvg, param, "square_avg");
        Dense ga = state(gradAvg, param, "grad_avg"), b = state(buf, param, "momentum_buffer");
        if ((ga != null && ga.off() != s.off()) || (b != null && b.off() != s.off())) {
            throw new IllegalStateException("RMSprop's state tensors must start at the same offset");
        }
        int n = param.numel();
        inPlace(param, (p, pOff) -> Parallel.forRange(n, GRAIN, (from, to) -> K.rmspropUpdate(p, pOff + from, g.a(),
                g.off() + from, s.a(), ga == null ? null : ga.a(), b == null ? null : b.a(), s.off() + from, to - from,
                lr, alpha, eps, weightDecay, momentum)));
    }
}
