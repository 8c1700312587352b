package dev.linea.optim;

import dev.linea.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RMSprop with PyTorch's exact update:
 * <pre>
 * g = g + weight_decay·p
 * s = α·s + (1-α)·g²
 * avg = centered ? √(s - ḡ²) + eps  (ḡ = α·ḡ + (1-α)·g)  :  √s + eps
 * b = momentum·b + g/avg; p = p - lr·b      (momentum &gt; 0)
 * p = p - lr·g/avg                          (otherwise)
 * </pre>
 * Defaults: lr 1e-2, alpha 0.99, eps 1e-8, no weight decay, no momentum, not centered.
 */
public class RMSprop extends Optimizer {

    /** RMSprop over {@code params} with the default options. */
    public RMSprop(List<? extends Tensor> params) {
        this(params, 1e-2);
    }

    /** RMSprop with learning rate {@code lr} and the other defaults. */
    public RMSprop(List<? extends Tensor> params, double lr) {
        this(params, lr, 0.99, 1e-8, 0, 0, false);
    }

    /** RMSprop with every option given. */
    public RMSprop(List<? extends Tensor> params, double lr, double alpha, double eps, double weightDecay,
                   double momentum, boolean centered) {
        super(params, defaults(lr, alpha, eps, weightDecay, momentum, centered));
    }

    private RMSprop(Map<String, Double> defaults, List<ParamGroup> groups) {
        super(defaults, groups);
    }

    /**
     * RMSprop over parameter groups, each with its own options; options a group lacks take these defaults.
     * Option names: {@code lr, alpha, eps, weight_decay, momentum, centered} (1 or 0).
     */
    public static RMSprop groups(List<ParamGroup> groups, double lr, double alpha, double eps, double weightDecay,
                                 double momentum, boolean centered) {
        return new RMSprop(defaults(lr, alpha, eps, weightDecay, momentum, centered), groups);
    }

    /** RMSprop over parameter groups with the default options (lr 1e-2, alpha 0.99, eps 1e-8). */
    public static RMSprop groups(List<ParamGroup> groups) {
        return groups(groups, 1e-2, 0.99, 1e-8, 0, 0, false);
    }

    private static Map<String, Double> defaults(double lr, double alpha, double eps, double weightDecay,
                                                double momentum, boolean centered) {
        return Optimizer.options("lr", lr, "alpha", alpha, "eps", eps, "weight_decay", weightDecay,
                "momentum", momentum, "centered", centered ? 1.0 : 0.0);
    }

    @Override
    protected void validate(ParamGroup g) {
        super.validate(g);
        for (String k : new String[] {"alpha", "eps", "weight_decay", "momentum"}) {
            if (!(g.get(k) >= 0)) {
                throw new IllegalArgumentException("Invalid " + k + " value: " + g.get(k));
            }
        }
    }

    @Override
    protected Set<String> stateNames() {
        return Set.of("step", "square_avg", "grad_avg", "momentum_buffer");
    }

    /** What PyTorch's first step creates: step and square_avg, grad_avg when centered, momentum_buffer with momentum. */
    @Override
    protected Set<String> requiredState(ParamGroup group) {
        Set<String> s = new java.util.TreeSet<>(Set.of("step", "square_avg"));
        if (group.get("centered") != 0) {
            s.add("grad_avg");
        }
        if (group.get("momentum") > 0) {
            s.add("momentum_buffer");
        }
        return s;
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> state) {
        nextStep(state);
        double momentum = group.get("momentum");
        Tensor squareAvg = buffer(state, "square_avg", p);
        Tensor gradAvg = group.get("centered") != 0 ? buffer(state, "grad_avg", p) : null;
        Tensor buf = momentum > 0 ? buffer(state, "momentum_buffer", p) : null;
        Updates.rmsprop(p, grad, squareAvg, gradAvg, buf, group.lr(), group.get("alpha"), group.get("eps"),
                group.get("weight_decay"), momentum);
    }
}
