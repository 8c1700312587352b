package dev.linea.optim.lr;

import dev.linea.Tensor;
import dev.linea.golden.Golden;
import dev.linea.golden.Tolerance;
import dev.linea.nn.Parameter;
import dev.linea.optim.Adam;
import dev.linea.optim.Optimizer;
import dev.linea.optim.ParamGroup;
import dev.linea.optim.SGD;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares every scheduler's learning-rate (and momentum) sequence with PyTorch 1.13's, recorded by
 * {@code scripts/golden/schedulers.py} into {@code golden/schedulers.txt}. Settings here mirror the script:
 * two parameter groups, lr 0.1 (default) and 0.01, 30 steps. Values must agree to a relative
 * tolerance of 1e-7 (at least 1e-15 near zero): both sides compute in double with the same formulas, so
 * only last-bit differences of {@code cos} are expected.
 */
class SchedulerGoldenTest {
    static final int STEPS = 30;
    static final Tolerance TOL = Tolerance.relative(1e-7, 1e-15);
    static Golden golden;

    @BeforeAll
    static void load() {
        golden = Golden.load("schedulers.txt");
    }

    /** Two groups: one on the default lr 0.1, one with lr 0.01. */
    static List<ParamGroup> twoGroups() {
        return List.of(new ParamGroup(List.of(new Parameter(Tensor.zeros(2)))),
                new ParamGroup(List.of(new Parameter(Tensor.zeros(3))), Map.of("lr", 0.01)));
    }

    static SGD sgd() {
        return SGD.groups(twoGroups(), 0.1);
    }

    /** {@code actual} holds one row per step (construction, then each step) of one value per group. */
    static void check(String key, List<List<Double>> actual) {
        int[] shape = golden.shape(key);
        double[] expected = golden.values(key);
        assertEquals(shape[0], actual.size(), key + ": number of steps");
        for (int i = 0; i < shape[0]; i++) {
            List<Double> row = actual.get(i);
            assertEquals(shape[1], row.size(), key + " step " + i + ": number of groups");
            TOL.assertClose(key + " step " + i + " (element = group)",
                    Arrays.copyOfRange(expected, i * shape[1], (i + 1) * shape[1]),
                    row.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** Records getLastLr() after construction and after each of STEPS steps. */
    static void run(String key, Optimizer opt, LRScheduler s, String momentumKey) {
        List<List<Double>> lrs = new ArrayList<>(), moms = new ArrayList<>();
        Consumer<Void> record = v -> {
            lrs.add(s.getLastLr());
            if (momentumKey != null) {
                moms.add(opt.paramGroups().stream().map(g -> g.get(momentumKey)).toList());
            }
        };
        record.accept(null);
        for (int i = 0; i < STEPS; i++) {
            opt.step();
            s.step();
            record.accept(null);
        }
        check(key + ".lr", lrs);
        if (momentumKey != null) {
            check(key + "." + momentumKey, moms);
        }
    }

    static void run(String key, Function<SGD, LRScheduler> make) {
        SGD opt = sgd();
        run(key, opt, make.apply(opt), null);
    }

    @Test
    void stepLrMatchesPyTorch() {
        run("step", o -> new StepLR(o, 7, 0.5));
    }

    @Test
    void multiStepLrWithRepeatedMilestoneMatchesPyTorch() {
        run("multistep", o -> new MultiStepLR(o, List.of(5, 12, 12, 20), 0.3));
    }

    @Test
    void exponentialLrMatchesPyTorch() {
        run("exponential", o -> new ExponentialLR(o, 0.9));
    }

    @Test
    void cosineAnnealingMatchesPyTorchIncludingPastTMax() {
        run("cosine", o -> new CosineAnnealingLR(o, 10, 0.001));
    }

    @Test
    void linearLrWithDefaultsMatchesPyTorch() {
        run("linear", LinearLR::new);
    }

    @Test
    void linearLrWithCustomFactorsMatchesPyTorch() {
        run("linear2", o -> new LinearLR(o, 0.1, 0.5, 8));
    }

    @Test
    void oneCycleWithAdamCyclesLrAndBeta1LikePyTorch() {
        Adam opt = Adam.groups(twoGroups(), 0.1, 0.9, 0.999, 1e-8, 0);
        run("onecycle", opt, new OneCycleLR(opt, 0.01, STEPS), "beta1");
    }

    @Test
    void oneCycleThreePhaseLinearWithSgdMomentumMatchesPyTorch() {
        SGD opt = SGD.groups(twoGroups(), 0.1, 0.9, 0, 0, false);
        run("onecycle3", opt, new OneCycleLR(opt, List.of(0.05, 0.02), STEPS, 0.25, OneCycleLR.AnnealStrategy.LINEAR,
                true, 0.85, 0.95, 10.0, 100.0, true), "momentum");
    }

    @Test
    void sequentialWarmupThenCosineMatchesPyTorch() {
        run("sequential", o -> new SequentialLR(o, List.of(new LinearLR(o, 0.1, 1.0, 5), new CosineAnnealingLR(o, 25)),
                List.of(5)));
    }

    static final double[] METRICS = {1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.7999, 0.79, 0.79,
            0.79, 0.79, 0.79, 0.79, 0.79, 0.79, 0.79, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    static final double[] MAX_METRICS = {0.1, 0.2, 0.2, 0.25, 0.25, 0.25, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
            0.31, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32, 0.32};

    static void runPlateau(String key, ReduceLROnPlateau p, double[] metrics) {
        List<List<Double>> lrs = new ArrayList<>();
        lrs.add(p.getLastLr());
        for (double m : metrics) {
            p.step(m);
            lrs.add(p.getLastLr());
        }
        check(key + ".lr", lrs);
    }

    @Test
    void plateauMinRelWithCooldownAndPerGroupMinLrMatchesPyTorch() {
        SGD opt = sgd();
        runPlateau("plateau", new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.5, 2, 1e-4,
                ReduceLROnPlateau.ThresholdMode.REL, 1, List.of(0.01, 0.004), 1e-8), METRICS);
    }

    @Test
    void plateauMaxAbsMatchesPyTorch() {
        SGD opt = sgd();
        runPlateau("plateau_max", new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MAX, 0.1, 3, 0.02,
                ReduceLROnPlateau.ThresholdMode.ABS, 0, 0.0, 1e-8), MAX_METRICS);
    }

    @Test
    void goldenFileCoversEveryScenario() {
        for (String k : List.of("step", "multistep", "exponential", "cosine", "linear", "linear2", "onecycle",
                "onecycle3", "sequential", "plateau", "plateau_max")) {
            assertTrue(golden.has(k + ".lr"), k);
            assertEquals(STEPS + 1, golden.shape(k + ".lr")[0], k);
        }
    }
}
