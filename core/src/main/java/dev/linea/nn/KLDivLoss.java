package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;
import dev.linea.nn.functional.Reduction;

/**
 * {@code torch.nn.KLDivLoss}: the KL divergence of log-probabilities {@code input} from {@code target}
 * (probabilities, or log-probabilities when {@code logTarget}), {@code t·(log t − x)} per element.
 * Reductions are PyTorch's strings: {@code "none"}, {@code "mean"} (the default, over every element, with
 * PyTorch's warning), {@code "sum"}, {@code "batchmean"} (divided by the batch size: the KL divergence).
 */
public class KLDivLoss extends Loss {
    public final String reductionName;
    public final boolean logTarget;

    public KLDivLoss() {
        this("mean", false);
    }

    public KLDivLoss(String reduction, boolean logTarget) {
        super(switch (reduction) {
            case "none" -> Reduction.NONE;
            case "mean" -> Reduction.MEAN;
            case "sum", "batchmean" -> Reduction.SUM;
            default -> throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        });
        this.reductionName = reduction;
        this.logTarget = logTarget;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.klDiv(input, target, reductionName, logTarget);
    }
}
