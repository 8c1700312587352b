package dev.linea.optim;

import dev.linea.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight decay,
 * with PyTorch's exact update:
 * <pre>
 * g = g + weight_decay·p
 * b = g on the first step, else momentum·b + (1-dampening)·g      (when momentum ≠ 0)
 * g = nesterov ? g + momentum·b : b
 * p = p - lr·g
 * </pre>
 */
public class SGD extends Optimizer {

    /** Plain SGD over {@code params} with learning rate {@code lr}. */
    public SGD(List<? extends Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    /** SGD with momentum. */
    public SGD(List<? extends Tensor> params, double lr, double momentum) {
        this(params, lr, momentum, 0, 0, false);
    }

    /** SGD with every option given. */
    public SGD(List<? extends Tensor> params, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super(params, defaults(lr, momentum, dampening, weightDecay, nesterov));
    }

    private SGD(Map<String, Double> defaults, List<ParamGroup> groups) {
        super(defaults, groups);
    }

    /**
     * SGD over parameter groups, each with its own options; options a group lacks take these defaults.
     * Option names: {@code lr, momentum, dampening, weight_decay, nesterov} (1 or 0).
     */
    public static SGD groups(List<ParamGroup> groups, double lr, double momentum, double dampening,
                             double weightDecay, boolean nesterov) {
        return new SGD(defaults(lr, momentum, dampening, weightDecay, nesterov), groups);
    }

    /** SGD over parameter groups with default learning rate {@code lr}, no momentum and no weight decay. */
    public static SGD groups(List<ParamGroup> groups, double lr) {
        return groups(groups, lr, 0, 0, 0, false);
    }

    private static Map<String, Double> defaults(double lr, double momentum, double dampening, double weightDecay,
                                                boolean nesterov) {
        return Optimizer.options("lr", lr, "momentum", momentum, "dampening", dampening, "weight_decay", weightDecay,
                "nesterov", nesterov ? 1.0 : 0.0);
    }

    @Override
    protected void validate(ParamGroup g) {
        super.validate(g);
        if (!(g.get("momentum") >= 0)) {
            throw new IllegalArgumentException("Invalid momentum value: " + g.get("momentum"));
        }
        if (!(g.get("weight_decay") >= 0)) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + g.get("weight_decay"));
        }
        if (g.get("nesterov") != 0 && (g.get("momentum") <= 0 || g.get("dampening") != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening (momentum="
                    + g.get("momentum") + ", dampening=" + g.get("dampening") + ")");
        }
    }

    /** Only {@code momentum_buffer}, which a first step with momentum creates (PyTorch's name). */
    @Override
    protected Set<String> stateNames() {
        return Set.of("momentum_buffer");
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> state) {
        double momentum = group.get("momentum");
        boolean first = momentum != 0 && !state.containsKey("momentum_buffer");
        Tensor buf = momentum != 0 ? buffer(state, "momentum_buffer", p) : null;
        Updates.sgd(p, grad, buf, first, group.lr(), momentum, group.get("dampening"), group.get("weight_decay"),
                group.get("nesterov") != 0);
    }
}
