package dev.linea.optim;

import dev.linea.Tensor;

import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, applied to the parameter before the
 * Adam step: {@code p = p·(1 - lr·weight_decay)}, then Adam's update without the L2 term. Defaults:
 * lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2.
 */
public class AdamW extends Adam {

    /** AdamW over {@code params} with the default options. */
    public AdamW(List<? extends Tensor> params) {
        this(params, 1e-3);
    }

    /** AdamW with learning rate {@code lr} and the other defaults. */
    public AdamW(List<? extends Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 1e-2);
    }

    /** AdamW with every option given. */
    public AdamW(List<? extends Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params, lr, beta1, beta2, eps, weightDecay);
    }

    /** AdamW with every option, {@code amsgrad} included (see {@link Adam}). */
    public AdamW(List<? extends Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                 boolean amsgrad) {
        super(params, lr, beta1, beta2, eps, weightDecay, amsgrad);
    }

    private AdamW(Map<String, Double> defaults, List<ParamGroup> groups) {
        super(defaults, groups);
    }

    /**
     * AdamW over parameter groups, each with its own options; options a group lacks take these defaults.
     * Option names: {@code lr, beta1, beta2, eps, weight_decay} (e.g. {@code weight_decay} 0 for biases).
     */
    public static AdamW groups(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps,
                               double weightDecay) {
        return new AdamW(defaults(lr, beta1, beta2, eps, weightDecay), groups);
    }

    /** AdamW over parameter groups with the default options (lr 1e-3, betas (0.9, 0.999), eps 1e-8, decay 1e-2). */
    public static AdamW groups(List<ParamGroup> groups) {
        return groups(groups, 1e-3, 0.9, 0.999, 1e-8, 1e-2);
    }

    @Override
    protected boolean decoupledWeightDecay() {
        return true;
    }
}
