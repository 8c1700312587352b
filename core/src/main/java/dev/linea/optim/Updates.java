package dev.linea.optim;

import dev.linea.Tensor;
import dev.linea.compute.OptimizerSteps;

import java.util.Arrays;

/**
 * The optimizers' update rules as pure functions of one parameter, its gradient and its state, in the
 * role of PyTorch's functional {@code torch.optim.sgd.sgd}, {@code adam.adam}, {@code rmsprop.rmsprop}:
 * the optimizer classes keep parameter groups and state and call these once per parameter. Each updates
 * {@code param} and its state tensors in place and nothing else: a parameter that is a view into a larger
 * tensor changes only its own elements. Call them under {@code GradMode.noGrad()} (as
 * {@link Optimizer#step()} does).
 */
public final class Updates {
    private Updates() {}

    /**
     * SGD, PyTorch's rule: {@code g = grad + wd·p}; with momentum, {@code b = firstStep ? g :
     * momentum·b + (1−dampening)·g} and {@code g = nesterov ? g + momentum·b : b}; then {@code p −= lr·g}.
     *
     * @param momentumBuffer the parameter's momentum buffer (same shape), or null when momentum is 0
     */
    public static void sgd(Tensor param, Tensor grad, Tensor momentumBuffer, boolean firstStep, double lr,
                           double momentum, double dampening, double weightDecay, boolean nesterov) {
        check(param, grad);
        OptimizerSteps.sgd(param, grad, momentumBuffer, firstStep, (float) lr, (float) momentum, (float) dampening,
                (float) weightDecay, nesterov);
    }

    /**
     * Adam (and AdamW with {@code decoupledWeightDecay}), PyTorch's rule at step {@code t} (1-based):
     * {@code g = grad + wd·p} (Adam) or {@code p ·= 1 − lr·wd} (AdamW); {@code m = β1·m + (1−β1)·g};
     * {@code v = β2·v + (1−β2)·g²}; {@code p −= lr/(1−β1^t) · m / (√v/√(1−β2^t) + eps)}.
     */
    public static void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, int step, double lr,
                            double beta1, double beta2, double eps, double weightDecay, boolean decoupledWeightDecay) {
        Tensor g = decayed(param, grad, step, lr, weightDecay, decoupledWeightDecay);
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        OptimizerSteps.adam(param, g, expAvg, expAvgSq, (float) lr, (float) beta1, (float) beta2, (float) eps,
                (float) bc1, (float) bc2);
    }

    /**
     * Adam's and AMSGrad's common start: checks the step, then returns {@code grad + wd·p} (Adam's L2 term)
     * or, decoupled (AdamW), scales {@code p} by {@code 1 − lr·wd} in place and returns {@code grad}.
     */
    private static Tensor decayed(Tensor param, Tensor grad, int step, double lr, double weightDecay,
                                  boolean decoupledWeightDecay) {
        check(param, grad);
        if (step < 1) {
            throw new IllegalArgumentException("Adam step must be at least 1, got " + step);
        }
        if (weightDecay != 0 && decoupledWeightDecay) {
            param.mul_((float) (1 - lr * weightDecay));
        }
        return weightDecay != 0 && !decoupledWeightDecay ? grad.add(param.mul((float) weightDecay)) : grad;
    }

    /**
     * AMSGrad, PyTorch's {@code amsgrad=True} rule: as {@link #adam}, with {@code vMax = max(vMax, v)} and
     * {@code p −= lr/(1−β1^t) · m / (√vMax/√(1−β2^t) + eps)}; the moments and {@code vMax} update in place.
     * In PyTorch's order of float operations ({@code addcmul_}, {@code maximum}, {@code addcdiv_}).
     */
    public static void adamAmsgrad(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq,
                                   int step, double lr, double beta1, double beta2, double eps, double weightDecay,
                                   boolean decoupledWeightDecay) {
        Tensor g = decayed(param, grad, step, lr, weightDecay, decoupledWeightDecay);
        expAvg.mul_((float) beta1).add_(g, (float) (1 - beta1));
        expAvgSq.mul_((float) beta2).add_(g.mul(g), (float) (1 - beta2));
        maxExpAvgSq.copy_(maxExpAvgSq.maximum(expAvgSq));
        double stepSize = lr / (1 - Math.pow(beta1, step)), bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        Tensor denom = maxExpAvgSq.sqrt().div((float) bc2Sqrt).add((float) eps);
        param.add_(expAvg.div(denom), (float) -stepSize);
    }

    /**
     * RMSprop, PyTorch's rule: {@code g = grad + wd·p}; {@code s = α·s + (1−α)·g²};
     * {@code avg = centered ? √(s − ḡ²) + eps (ḡ = α·ḡ + (1−α)·g) : √s + eps}; with momentum
     * {@code b = momentum·b + g/avg, p −= lr·b}, else {@code p −= lr·g/avg}.
     *
     * @param gradAvg        ḡ, or null when not centered
     * @param momentumBuffer b, or null when momentum is 0
     */
    public static void rmsprop(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuffer,
                               double lr, double alpha, double eps, double weightDecay, double momentum) {
        check(param, grad);
        OptimizerSteps.rmsprop(param, grad, squareAvg, gradAvg, momentumBuffer, (float) lr, (float) alpha, (float) eps,
                (float) weightDecay, (float) momentum);
    }

    private static void check(Tensor param, Tensor grad) {
        if (!Arrays.equals(param.shape(), grad.shape())) {
            throw new IllegalArgumentException("gradient of shape " + Arrays.toString(grad.shape())
                    + " does not match its parameter's shape " + Arrays.toString(param.shape()));
        }
    }
}
