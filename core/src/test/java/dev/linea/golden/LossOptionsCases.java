package dev.linea.golden;

import static dev.linea.golden.LossOptionsGoldenTest.add;
import static dev.linea.golden.LossOptionsGoldenTest.addIndexed;

import dev.linea.Tensor;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.HuberLoss;
import dev.linea.nn.KLDivLoss;
import dev.linea.nn.L1Loss;
import dev.linea.nn.MSELoss;
import dev.linea.nn.NLLLoss;
import dev.linea.nn.SmoothL1Loss;
import dev.linea.nn.functional.Reduction;
import java.util.Map;

/** The cases of {@link LossOptionsGoldenTest} beyond BCEWithLogits, one group per loss (losses_options.py's extra). */
final class LossOptionsCases {
    private LossOptionsCases() {}

    static void addAll() {
        Tensor weight = Tensor.of(0.5f, 1f, 2f, 3f), w3 = Tensor.of(0.2f, 1f, 3f);
        int none = -100;
        Map.of("mean", Reduction.MEAN, "sum", Reduction.SUM, "none", Reduction.NONE).forEach((s, r) -> {
            addIndexed("ce_weight_" + s, new CrossEntropyLoss(weight, none, r, 0f));
            addIndexed("ce_ignore_" + s, new CrossEntropyLoss(r));
            addIndexed("ce_ignore2_" + s, new CrossEntropyLoss(null, 2, r, 0f));
            addIndexed("ce_weight_ignore_ls_" + s, new CrossEntropyLoss(weight, none, r, 0.1f));
            addIndexed("ce_nd_" + s, new CrossEntropyLoss(w3, none, r, 0f));
            addIndexed("ce_nd_ls_" + s, new CrossEntropyLoss(null, none, r, 0.2f));
            add("ce_soft_grad_" + s, new CrossEntropyLoss(r));
            add("ce_soft_weight_ls_" + s, new CrossEntropyLoss(weight, none, r, 0.3f));
            add("ce_soft_nd_" + s, new CrossEntropyLoss(w3, none, r, 0f));
            addIndexed("nll_weight_ignore_" + s, new NLLLoss(weight, none, r));
            addIndexed("nll_nd_" + s, new NLLLoss(w3, none, r));
            add("l1_" + s, new L1Loss(r));
            for (float beta : new float[] {1f, 0.5f, 0f}) {
                add("smoothl1_" + beta + "_" + s, new SmoothL1Loss(r, beta));
            }
            for (float delta : new float[] {1f, 0.7f}) {
                add("huber_" + delta + "_" + s, new HuberLoss(r, delta));
            }
        });
        for (String red : new String[] {"none", "mean", "sum", "batchmean"}) {
            add("kldiv_" + red, new KLDivLoss(red, false));
            add("kldiv_log_" + red, new KLDivLoss(red, true));
        }
        add("kldiv_zero_target", new KLDivLoss("batchmean", false));
        add("mse_broadcast", new MSELoss());
        add("l1_broadcast", new L1Loss(Reduction.SUM));
    }
}
