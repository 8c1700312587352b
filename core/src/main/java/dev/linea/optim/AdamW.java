package dev.linea.optim;

import dev.linea.Tensor;

import java.util.List;

/**
 * AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, applied to the parameter before the
 * Adam step: {@code p = p·(1 - lr·weight_decay)}, then Adam's update without the L2 term. Defaults:
 * lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2.
 */
public class AdamW extends Adam {

    public AdamW(List<? extends Tensor> params) {
        this(params, 1e-3);
    }

    public AdamW(List<? extends Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 1e-2);
    }

    public AdamW(List<? extends Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params, lr, beta1, beta2, eps, weightDecay);
    }

    @Override
    protected boolean l2Penalty() {
        return false;
    }

    @Override
    protected void decoupledDecay(Tensor p, double lr, double weightDecay) {
        if (weightDecay != 0) {
            p.mul_((float) (1 - lr * weightDecay));
        }
    }
}
