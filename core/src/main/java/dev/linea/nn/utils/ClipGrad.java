package dev.linea.nn.utils;

import dev.linea.autograd.GradMode;
import dev.linea.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}. Call between
 * {@code loss.backward()} and {@code optimizer.step()}; parameters without a gradient are skipped.
 *
 * <p>The total norm treats all gradients as one vector: with per-parameter norms
 * {@code n_i = (Σ_j |g_ij|^p)^(1/p)} (or {@code max_j |g_ij|} for p = ∞),
 * <pre>
 * total = (Σ_i n_i^p)^(1/p)          (p = ∞: max_i n_i)
 * coef  = max_norm / (total + 1e-6)
 * g ← g·coef   when coef &lt; 1          (otherwise the gradients are left exactly as they are)
 * </pre>
 * Sums run sequentially in double precision over the parameters in list order, so the result is
 * deterministic. When the total is NaN or infinite, the default leaves the gradients untouched and
 * returns the non-finite total, so the caller can see it (and e.g. skip the step); PyTorch instead
 * multiplies the gradients by the NaN/zero coefficient. With {@code errorIfNonfinite} an
 * {@link IllegalStateException} naming the norm is thrown.
 */
public final class ClipGrad {
    private ClipGrad() {}

    /** Clips to total 2-norm {@code maxNorm}; returns the total norm before clipping. */
    public static double clipGradNorm(List<? extends Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /** Clips to total {@code normType}-norm {@code maxNorm} ({@code Double.POSITIVE_INFINITY} for the max norm). */
    public static double clipGradNorm(List<? extends Tensor> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Clips to total {@code normType}-norm {@code maxNorm}; returns the total norm before clipping (0 when
     * no parameter has a gradient). With {@code errorIfNonfinite}, throws when the norm is NaN or infinite.
     */
    public static double clipGradNorm(List<? extends Tensor> params, double maxNorm, double normType,
                                      boolean errorIfNonfinite) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("max_norm must be non-negative, got " + maxNorm);
        }
        List<Tensor> grads = grads(params);
        double total = totalNorm(grads, normType);
        if (!Double.isFinite(total)) {
            if (errorIfNonfinite) {
                throw new IllegalStateException("The total norm of order " + normType + " for gradients from the parameters is "
                        + total + " (non-finite), so it cannot be clipped; the gradients were left unchanged");
            }
            return total;
        }
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1) {
            float c = (float) coef;
            try (var scope = GradMode.noGrad()) {
                for (Tensor g : grads) {
                    float[] v = g.toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        v[i] *= c;
                    }
                    write(g, v);
                }
            }
        }
        return total;
    }

    /** The total {@code normType}-norm of the gradients (as {@link #clipGradNorm}), without clipping; for logging. */
    public static double gradNorm(List<? extends Tensor> params, double normType) {
        return totalNorm(grads(params), normType);
    }

    /** Clamps every gradient element into {@code [-clipValue, clipValue]} (NaN stays NaN). */
    public static void clipGradValue(List<? extends Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clip_value must be non-negative, got " + clipValue);
        }
        float c = (float) clipValue;
        try (var scope = GradMode.noGrad()) {
            for (Tensor g : grads(params)) {
                float[] v = g.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    if (v[i] > c) {
                        v[i] = c;
                    } else if (v[i] < -c) {
                        v[i] = -c;
                    }
                }
                write(g, v);
            }
        }
    }

    private static List<Tensor> grads(List<? extends Tensor> params) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : params) {
            if (p.grad() != null) {
                grads.add(p.grad());
            }
        }
        return grads;
    }

    private static double totalNorm(List<Tensor> grads, double p) {
        if (!(p > 0)) {
            throw new IllegalArgumentException("norm_type must be positive or infinity, got " + p);
        }
        boolean inf = p == Double.POSITIVE_INFINITY;
        double total = 0;
        for (Tensor g : grads) {
            double n = 0;
            float[] v = g.toFloatArray();
            if (inf) {
                for (float x : v) {
                    double a = Math.abs(x);
                    n = Double.isNaN(a) || a > n ? a : n;
                    if (Double.isNaN(n)) {
                        break;
                    }
                }
                total = Double.isNaN(n) || n > total ? n : total;
            } else {
                for (float x : v) {
                    n += p == 2 ? (double) x * x : p == 1 ? Math.abs(x) : Math.pow(Math.abs(x), p);
                }
                n = p == 2 ? Math.sqrt(n) : p == 1 ? n : Math.pow(n, 1 / p);
                total += p == 2 ? n * n : p == 1 ? n : Math.pow(n, p);
            }
            if (Double.isNaN(total)) {
                return total;
            }
        }
        return inf ? total : p == 2 ? Math.sqrt(total) : p == 1 ? total : Math.pow(total, 1 / p);
    }

    private static void write(Tensor g, float[] values) {
        g.copy_(Tensor.wrap(values, g.shape()));
    }
}
