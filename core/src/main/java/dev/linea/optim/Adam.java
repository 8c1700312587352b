package dev.linea.optim;

import dev.linea.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam (Kingma and Ba), with PyTorch's exact update. For each parameter p with gradient g at step t:
 * <pre>
 * g = g + weight_decay·p                    (L2 penalty; see {@link AdamW} for the decoupled form)
 * m = β1·m + (1-β1)·g
 * v = β2·v + (1-β2)·g²
 * p = p - lr/(1-β1^t) · m / (√v / √(1-β2^t) + eps)
 * </pre>
 * Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, amsgrad false. The update runs as one
 * fused pass over each parameter: see {@link Updates#adam} ({@link Updates#adamAmsgrad} for AMSGrad). In a
 * state dict the betas are PyTorch's pair, {@code "betas": [0.9, 0.999]}.
 */
public class Adam extends Optimizer {

    /** Adam over {@code params} with the default options. */
    public Adam(List<? extends Tensor> params) {
        this(params, 1e-3);
    }

    /** Adam over {@code params} with learning rate {@code lr} and the other defaults. */
    public Adam(List<? extends Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    /** Adam over {@code params} with every option given. */
    public Adam(List<? extends Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(params, lr, beta1, beta2, eps, weightDecay, false);
    }

    /**
     * Adam with every option, {@code amsgrad} included: the AMSGrad variant keeps the largest
     * {@code exp_avg_sq} seen ({@code max_exp_avg_sq}) and divides by its root instead, as PyTorch's.
     */
    public Adam(List<? extends Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                boolean amsgrad) {
        super(params, withAmsgrad(defaults(lr, beta1, beta2, eps, weightDecay), amsgrad));
    }

    /** {@code defaults} with the {@code amsgrad} flag (1 or 0, as the options are numbers). */
    static Map<String, Double> withAmsgrad(Map<String, Double> defaults, boolean amsgrad) {
        Map<String, Double> m = new java.util.LinkedHashMap<>(defaults);
        m.put("amsgrad", amsgrad ? 1.0 : 0.0);
        return m;
    }

    /** PyTorch's {@code __setstate__}: a state saved before amsgrad existed loads with amsgrad off. */
    @Override
    protected Map<String, Double> optionsOfOlderStates() {
        return Map.of("amsgrad", 0.0);
    }

    /** An optimizer over {@code groups}, whose missing options come from {@code defaults}. */
    protected Adam(Map<String, Double> defaults, List<ParamGroup> groups) {
        super(defaults, groups);
    }

    /**
     * Adam over parameter groups, each with its own options (PyTorch's
     * {@code Adam([{"params": ..., "lr": ...}, ...], lr=...)}); options a group lacks take these defaults.
     * Option names: {@code lr, beta1, beta2, eps, weight_decay}.
     */
    public static Adam groups(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps,
                              double weightDecay) {
        return new Adam(defaults(lr, beta1, beta2, eps, weightDecay), groups);
    }

    /** Adam over parameter groups with the default options (lr 1e-3, betas (0.9, 0.999), eps 1e-8, no decay). */
    public static Adam groups(List<ParamGroup> groups) {
        return groups(groups, 1e-3, 0.9, 0.999, 1e-8, 0);
    }

    static Map<String, Double> defaults(double lr, double beta1, double beta2, double eps, double weightDecay) {
        return Optimizer.options("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weight_decay", weightDecay);
    }

    @Override
    protected void validate(ParamGroup g) {
        super.validate(g);
        check("beta1", g.get("beta1"), 0, 1);
        check("beta2", g.get("beta2"), 0, 1);
        if (!(g.get("eps") >= 0)) {
            throw new IllegalArgumentException("Invalid epsilon value: " + g.get("eps"));
        }
        if (!(g.get("weight_decay") >= 0)) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + g.get("weight_decay"));
        }
    }

    private static void check(String name, double v, double lo, double hi) {
        if (!(v >= lo && v < hi)) {
            throw new IllegalArgumentException("Invalid " + name + " parameter: " + v + " (must be in [" + lo + ", " + hi + "))");
        }
    }

    /** Whether weight decay is decoupled from the gradient (AdamW) rather than an L2 term in it (Adam). */
    protected boolean decoupledWeightDecay() {
        return false;
    }

    @Override
    protected Set<String> stateNames() {
        return AMSGRAD_STATE;
    }

    /** PyTorch's Adam creates the three (four with amsgrad) together at a parameter's first step. */
    @Override
    protected Set<String> requiredState(ParamGroup group) {
        return amsgrad(group) ? AMSGRAD_STATE : STATE;
    }

    private static final Set<String> STATE = Set.of("step", "exp_avg", "exp_avg_sq");
    private static final Set<String> AMSGRAD_STATE = Set.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq");

    private static boolean amsgrad(ParamGroup group) {
        return group.has("amsgrad") && group.get("amsgrad") != 0;
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> state) {
        Tensor m = buffer(state, "exp_avg", p);
        Tensor v = buffer(state, "exp_avg_sq", p);
        Tensor vMax = amsgrad(group) ? buffer(state, "max_exp_avg_sq", p) : null;
        int t = nextStep(state);
        if (vMax != null) {
            Updates.adamAmsgrad(p, grad, m, v, vMax, t, group.lr(), group.get("beta1"), group.get("beta2"),
                    group.get("eps"), group.get("weight_decay"), decoupledWeightDecay());
            return;
        }
        Updates.adam(p, grad, m, v, t, group.lr(), group.get("beta1"), group.get("beta2"), group.get("eps"),
                group.get("weight_decay"), decoupledWeightDecay());
    }
}
