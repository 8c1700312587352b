package dev.linea.nn;

import dev.linea.Autograd;
import dev.linea.Tensor;
import dev.linea.kernels.KernelProvider;
import dev.linea.kernels.Kernels;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cross-entropy of raw scores (logits) against classes, with log-softmax built in:
 * {@code loss_i = -Σ_c q_ic · log softmax(x_i)_c}, where {@code q_i} is the one-hot target (class
 * indices, shape (N)) or a given distribution (shape (N, C)), blended with the uniform distribution by
 * {@code labelSmoothing} ε: {@code q = (1-ε)·q + ε/C}. Input: (N, C) or (C). Reduced by mean (over
 * the batch) by default.
 *
 * <p>Forward and backward are fused: one stable log-softmax pass, and the gradient
 * {@code (softmax(x) - q)·scale} without building a graph of small ops.
 *
 * <p>Because softmax is applied here, feeding the output of a Softmax layer in applies it twice (a
 * common slip that slows learning); when every row of the input already is a probability
 * distribution, a warning says so, once.
 */
public class CrossEntropyLoss extends Loss {
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final Kernels K = KernelProvider.get();
    private final float labelSmoothing;

    public CrossEntropyLoss() {
        this(Reduction.MEAN, 0f);
    }

    public CrossEntropyLoss(Reduction reduction) {
        this(reduction, 0f);
    }

    public CrossEntropyLoss(Reduction reduction, float labelSmoothing) {
        super(reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0, got " + labelSmoothing);
        }
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        int[] nc = ClassTargets.checkLogits("CrossEntropyLoss", input);
        int n = nc[0], c = nc[1];
        float[] q = targetDistribution(input, target, n, c);
        Tensor x = input.detach().contiguous();
        float[] logits = x.storage();
        int off = x.storageOffset();
        warnIfProbabilities(logits, off, n, c);
        float[] logp = new float[n * c];
        K.softmaxRows(logits, off, logp, 0, n, c, true);
        float[] per = new float[n];
        for (int i = 0; i < n; i++) {
            per[i] = -K.dot(q, i * c, logp, i * c, c);
        }
        Tensor out;
        if (reduction == Reduction.NONE) {
            out = Tensor.wrap(per, input.dim() == 1 ? new int[0] : new int[] {n});
        } else {
            float total = K.sum(per, 0, n);
            out = Tensor.scalar(reduction == Reduction.MEAN ? total / n : total);
        }
        int[] inShape = input.shape();
        return Autograd.record("NllLossBackward0", out, g -> {
            float[] gv = g.toFloatArray();
            float[] dx = new float[n * c];
            for (int i = 0; i < n; i++) {
                float scale = reduction == Reduction.NONE ? gv[i] : reduction == Reduction.MEAN ? gv[0] / n : gv[0];
                for (int j = 0; j < c; j++) {
                    dx[i * c + j] = ((float) Math.exp(logp[i * c + j]) - q[i * c + j]) * scale;
                }
            }
            return new Tensor[] {Tensor.wrap(dx, inShape)};
        }, input);
    }

    /** The smoothed target distribution, row-major (N, C). */
    private float[] targetDistribution(Tensor input, Tensor target, int n, int c) {
        float[] q;
        if (Arrays.equals(target.shape(), input.shape()) && (input.dim() == 2 && c > 1 || input.dim() == 1)) {
            q = target.toFloatArray(); // class probabilities
        } else {
            int[] t = ClassTargets.indices("CrossEntropyLoss", target, n, c);
            q = new float[n * c];
            for (int i = 0; i < n; i++) {
                q[i * c + t[i]] = 1f;
            }
        }
        if (labelSmoothing > 0) {
            for (int i = 0; i < q.length; i++) {
                q[i] = q[i] * (1 - labelSmoothing) + labelSmoothing / c;
            }
        }
        return q;
    }

    private static void warnIfProbabilities(float[] x, int off, int n, int c) {
        if (WARNED.get() || c < 2) {
            return;
        }
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < c; j++) {
                float v = x[off + i * c + j];
                if (!(v >= 0 && v <= 1)) {
                    return;
                }
                s += v;
            }
            if (Math.abs(s - 1) > 1e-3) {
                return;
            }
        }
        if (WARNED.compareAndSet(false, true)) {
            System.err.println("Linea warning: CrossEntropyLoss received rows that are already probability "
                    + "distributions (each in [0, 1], summing to 1). CrossEntropyLoss applies log-softmax itself, "
                    + "so softmax is being applied twice, which flattens the gradients and slows learning. "
                    + "Pass raw logits (remove the final softmax), or use NLLLoss on logSoftmax output.");
        }
    }

    @Override
    public String extraRepr() {
        return labelSmoothing > 0 ? "label_smoothing=" + F.pyFloat(labelSmoothing) : "";
    }
}
