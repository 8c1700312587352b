package dev.linea.cli.train;

import dev.linea.Tensor;
import dev.linea.nn.Parameter;
import dev.linea.optim.Adam;
import dev.linea.optim.Optimizer;
import dev.linea.optim.ParamGroup;
import dev.linea.optim.SGD;
import dev.linea.optim.lr.ExponentialLR;
import dev.linea.optim.lr.LinearLR;
import dev.linea.optim.lr.MultiStepLR;
import dev.linea.optim.lr.OneCycleLR;
import dev.linea.optim.lr.SequentialLR;
import dev.linea.optim.lr.StepLR;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schedules built from specs step at the right time: per epoch, per batch, or per epoch with the test loss. */
class LrScheduleTest {

    /** Two groups: one on the default lr 0.1, one with lr 0.01. */
    private static List<ParamGroup> twoGroups() {
        return List.of(new ParamGroup(List.of(new Parameter(Tensor.zeros(2)))),
                new ParamGroup(List.of(new Parameter(Tensor.zeros(3))), Map.of("lr", 0.01)));
    }

    private static SGD sgd() {
        return SGD.groups(twoGroups(), 0.1);
    }

    private static LrSchedule build(String spec, Optimizer opt, int epochs, int stepsPerEpoch) {
        return LrSchedule.build(ScheduleSpec.parse(spec), opt, epochs, stepsPerEpoch);
    }

    private static double lr(Optimizer opt, int group) {
        return opt.paramGroups().get(group).lr();
    }

    @Test
    void stepSpecDecaysEveryNEpochsAndIgnoresBatches() {
        SGD opt = sgd();
        LrSchedule s = build("step:2:0.5", opt, 10, 100);
        assertInstanceOf(StepLR.class, s.scheduler());
        assertEquals(LrSchedule.Granularity.EPOCH, s.granularity());
        for (int b = 0; b < 100; b++) {
            s.afterBatch();
        }
        assertEquals(0.1, lr(opt, 0), 0);
        s.afterEpoch(Double.NaN);
        s.afterEpoch(Double.NaN);
        assertEquals(0.05, lr(opt, 0), 1e-15);
    }

    @Test
    void cosineSpecAnnealsOverTheRunsEpochs() {
        SGD opt = sgd();
        LrSchedule s = build("cosine", opt, 4, 10);
        for (int e = 0; e < 4; e++) {
            s.afterEpoch(Double.NaN);
        }
        assertEquals(0.0, lr(opt, 0), 1e-15);
    }

    @Test
    void oneCycleSpecStepsPerBatchOverEpochsTimesBatches() {
        Adam opt = Adam.groups(twoGroups());
        LrSchedule s = build("onecycle:0.01", opt, 3, 10);
        assertEquals(LrSchedule.Granularity.BATCH, s.granularity());
        assertEquals(30, ((OneCycleLR) s.scheduler()).totalSteps());
        assertEquals(0.01 / 25, lr(opt, 0), 1e-15);
        for (int i = 0; i < 29; i++) {
            s.afterBatch();
            s.afterEpoch(Double.NaN);
        }
        // the last batch's step (index 29) reaches min_lr; the step after it (as in PyTorch) is still allowed
        assertEquals(0.01 / 25 / 1e4, lr(opt, 1), 1e-15);
        s.afterBatch();
    }

    @Test
    void oneCycleSpecPeaksAtEachGroupsRateAndLeavesPlainSgdWithoutMomentum() {
        SGD opt = sgd();
        build("onecycle", opt, 2, 5);
        assertEquals(0.0, opt.paramGroups().get(0).get("momentum"));
        assertEquals(0.1, opt.paramGroups().get(0).get("max_lr"));
        assertEquals(0.01, opt.paramGroups().get(1).get("max_lr"));
    }

    @Test
    void plateauSpecCutsTheRateOnAFlatMetricAndNeedsOne() {
        SGD opt = sgd();
        LrSchedule s = build("plateau:0:0.5", opt, 5, 5);
        assertEquals(LrSchedule.Granularity.PLATEAU, s.granularity());
        assertNull(s.scheduler());
        s.afterEpoch(1.0);
        s.afterEpoch(1.0);
        assertEquals(0.05, lr(opt, 0), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> s.afterEpoch(Double.NaN));
    }

    @Test
    void otherSpecsBuildTheirSchedulers() {
        assertInstanceOf(MultiStepLR.class, build("multistep:3,6:0.2", sgd(), 10, 1).scheduler());
        assertInstanceOf(ExponentialLR.class, build("exp:0.9", sgd(), 10, 1).scheduler());
        assertInstanceOf(LinearLR.class, build("linear", sgd(), 10, 1).scheduler());
        assertInstanceOf(SequentialLR.class, build("warmup-cosine:2", sgd(), 10, 1).scheduler());
        assertEquals(LrSchedule.Granularity.NONE, build("none", sgd(), 10, 1).granularity());
        assertEquals(LrSchedule.Granularity.PLATEAU, build("PLATEAU:3:0.5:max", sgd(), 10, 1).granularity());
    }

    @Test
    void warmUpCosineRisesForWEpochsThenAnnealsToEtaMinAtTheLastEpoch() {
        SGD opt = sgd();
        LrSchedule s = build("warmup-cosine:2:0.5:0.001", opt, 6, 1);
        assertEquals(0.05, lr(opt, 0), 1e-15);
        s.afterEpoch(Double.NaN);
        assertEquals(0.075, lr(opt, 0), 1e-15);
        s.afterEpoch(Double.NaN);
        assertEquals(0.1, lr(opt, 0), 1e-15);
        for (int e = 2; e < 6; e++) {
            s.afterEpoch(Double.NaN);
        }
        assertEquals(0.001, lr(opt, 0), 1e-15);
    }

    @Test
    void aWarmUpAsLongAsTheRunIsRejectedWithTheRunsLength() {
        var e = assertThrows(IllegalArgumentException.class, () -> build("warmup-cosine:10", sgd(), 10, 1));
        assertTrue(e.getMessage().startsWith("can't read scheduler spec 'warmup-cosine:10': W (warm-up epochs) must be"
                + " below the run's 10 epochs, got 10; accepted: none | "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> build("cosine", sgd(), 10, 0));
    }

    @Test
    void stateRestoredIntoAScheduleFromTheSameSpecContinuesIt() {
        SGD first = sgd();
        LrSchedule s = build("step:1:0.5", first, 5, 1);
        s.afterEpoch(Double.NaN);
        s.afterEpoch(Double.NaN);
        SGD second = sgd();
        second.paramGroups().get(0).set("lr", lr(first, 0));
        second.paramGroups().get(1).set("lr", lr(first, 1));
        LrSchedule resumed = build("step:1:0.5", second, 5, 1);
        resumed.loadStateDict(s.stateDict());
        s.afterEpoch(Double.NaN);
        resumed.afterEpoch(Double.NaN);
        assertEquals(lr(first, 0), lr(second, 0), 0);
        assertEquals(0.1 / 8, lr(second, 0), 1e-15);
        assertTrue(build("none", sgd(), 5, 1).stateDict().isEmpty());
    }

    /** Runs {@code epochs} epochs of {@code batches} batches, returns the state. */
    private static Map<String, Object> run(LrSchedule s, int epochs, int batches) {
        for (int e = 0; e < epochs; e++) {
            for (int b = 0; b < batches; b++) {
                s.afterBatch();
            }
            s.afterEpoch(1.0);
        }
        return s.stateDict();
    }

    /**
     * As a resume does: {@code second} gets {@code first}'s groups (the checkpoint's), a schedule for
     * {@code epochs} epochs is built over it and given {@code state}, and the groups are put back (Schedule.load).
     */
    private static LrSchedule resumed(String spec, Optimizer first, Optimizer second, int epochs, int batches,
                                      Map<String, Object> state) {
        copyGroups(first, second);
        LrSchedule s = build(spec, second, epochs, batches);
        s.loadStateDict(state);
        copyGroups(first, second);
        return s;
    }

    private static void copyGroups(Optimizer from, Optimizer to) {
        for (int g = 0; g < from.paramGroups().size(); g++) {
            from.paramGroups().get(g).options().forEach(to.paramGroups().get(g)::set);
        }
    }

    @Test
    void aFinishedCosineExtendedToMoreEpochsIsRebuiltForTheNewLengthInsteadOfStayingAtEtaMin() {
        SGD first = sgd(), second = sgd();
        Map<String, Object> state = run(build("cosine", first, 4, 1), 4, 1);
        assertEquals(0.0, lr(first, 0), 1e-15);
        LrSchedule longer = resumed("cosine", first, second, 8, 1, state);
        assertEquals("The cosine schedule was planned for 4 epochs and is rebuilt for 8: from here it follows the "
                + "cosine of a 8-epoch run, down to 0.0 at its end (lr 0.05 now).", longer.fitLength(4));
        assertEquals(0.05, lr(second, 0), 1e-15); // 0.1 · (1 + cos(π·4/8)) / 2
        assertEquals(0.005, lr(second, 1), 1e-15);
        longer.afterEpoch(Double.NaN);
        assertEquals(0.1 * (1 + Math.cos(Math.PI * 5 / 8)) / 2, lr(second, 0), 1e-15);
        assertNull(longer.fitLength(8), "the same length: nothing to rebuild");
    }

    @Test
    void anExtendedWarmUpCosineKeepsItsWarmUpAndStretchesItsCosine() {
        SGD first = sgd(), second = sgd();
        Map<String, Object> state = run(build("warmup-cosine:2", first, 4, 1), 4, 1);
        LrSchedule longer = resumed("warmup-cosine:2", first, second, 8, 1, state);
        String line = longer.fitLength(4);
        assertTrue(line.startsWith("The warmup-cosine:2 schedule was planned for 4 epochs and is rebuilt for 8: from "
                + "here it follows the warm-up of 2 epochs, then a cosine over the remaining 6 epochs of 8"), line);
        assertEquals(0.1 * (1 + Math.cos(Math.PI * 2 / 6)) / 2, lr(second, 0), 1e-15);
        longer.afterEpoch(Double.NaN);
        assertEquals(0.1 * (1 + Math.cos(Math.PI * 3 / 6)) / 2, lr(second, 0), 1e-15);
    }

    @Test
    void anExtendedOneCycleTakesTheRateAndMomentumOfTheLongerCycleAtTheCurrentStep() {
        Adam first = Adam.groups(twoGroups()), second = Adam.groups(twoGroups()), fresh = Adam.groups(twoGroups());
        Map<String, Object> state = run(build("onecycle:0.01", first, 2, 5), 2, 5);
        LrSchedule longer = resumed("onecycle:0.01", first, second, 4, 5, state);
        String line = longer.fitLength(2);
        assertTrue(line.startsWith("The onecycle:0.01 schedule was planned for 2 epochs and is rebuilt for 4: from here"
                + " it follows the cycle of 20 steps (4 epochs of 5 batches), at step 10"), line);
        run(build("onecycle:0.01", fresh, 4, 5), 2, 5); // a run planned for 4 epochs, at the same step
        for (int g = 0; g < 2; g++) {
            assertEquals(lr(fresh, g), lr(second, g), 1e-15);
            assertEquals(fresh.paramGroups().get(g).get("beta1"), second.paramGroups().get(g).get("beta1"), 1e-15);
        }
    }

    @Test
    void schedulesThatDoNotDependOnTheRunsLengthGoOnAsTheyWereWhenExtended() {
        for (String spec : List.of("none", "step:1:0.5", "multistep:1,3:0.5", "exp:0.5", "linear", "plateau:0:0.5")) {
            SGD first = sgd(), second = sgd();
            Map<String, Object> state = run(build(spec, first, 2, 1), 2, 1);
            LrSchedule longer = resumed(spec, first, second, 4, 1, state);
            double before = lr(first, 0);
            assertEquals("The " + spec + " schedule was planned for 2 epochs; it does not depend on the run's length and"
                    + " goes on as it was (lr " + (float) before + " now) for 4 epochs.", longer.fitLength(2));
            assertEquals(before, lr(second, 0), 0, spec);
        }
    }
}
