package dev.linea.optim.lr;

import dev.linea.optim.Adam;
import dev.linea.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedulersSpecTest {

    static SGD sgd() {
        return SchedulerGoldenTest.sgd();
    }

    @Test
    void stepSpecDecaysEveryNEpochs() {
        SGD opt = sgd();
        TrainingSchedule s = Schedulers.fromSpec("step:2:0.5", opt, 10, 100);
        assertInstanceOf(StepLR.class, s.scheduler());
        assertEquals(TrainingSchedule.Granularity.EPOCH, s.granularity());
        for (int b = 0; b < 100; b++) {
            s.afterBatch();
        }
        assertEquals(0.1, s.currentLr().get(0), 0);
        s.afterEpoch(Double.NaN);
        s.afterEpoch(Double.NaN);
        assertEquals(0.05, s.currentLr().get(0), 1e-15);
    }

    @Test
    void cosineSpecAnnealsOverTheEpochs() {
        SGD opt = sgd();
        TrainingSchedule s = Schedulers.fromSpec("cosine", opt, 4, 10);
        for (int e = 0; e < 4; e++) {
            s.afterEpoch(Double.NaN);
        }
        assertEquals(0.0, s.currentLr().get(0), 1e-15);
    }

    @Test
    void oneCycleSpecStepsPerBatchOverEpochsTimesBatches() {
        Adam opt = Adam.groups(SchedulerGoldenTest.twoGroups());
        TrainingSchedule s = Schedulers.fromSpec("onecycle:0.01", opt, 3, 10);
        assertEquals(TrainingSchedule.Granularity.BATCH, s.granularity());
        assertEquals(30, ((OneCycleLR) s.scheduler()).totalSteps());
        assertEquals(0.01 / 25, s.currentLr().get(0), 1e-15);
        for (int i = 0; i < 29; i++) {
            s.afterBatch();
            s.afterEpoch(Double.NaN);
        }
        // the last batch's step (index 29) reaches min_lr; the step after it (as in PyTorch) is still allowed
        assertEquals(0.01 / 25 / 1e4, s.currentLr().get(1), 1e-15);
        s.afterBatch();
    }

    @Test
    void oneCycleSpecLeavesPlainSgdWithoutMomentum() {
        SGD opt = sgd();
        Schedulers.fromSpec("onecycle", opt, 2, 5);
        assertEquals(0.0, opt.paramGroups().get(0).get("momentum"));
        assertEquals(0.1, opt.paramGroups().get(0).get("max_lr"));
        assertEquals(0.01, opt.paramGroups().get(1).get("max_lr"));
    }

    @Test
    void plateauSpecNeedsAMetric() {
        SGD opt = sgd();
        TrainingSchedule s = Schedulers.fromSpec("plateau:0:0.5", opt, 5, 5);
        assertTrue(s.needsMetric());
        assertNull(s.scheduler());
        s.afterEpoch(1.0);
        s.afterEpoch(1.0);
        assertEquals(0.05, s.currentLr().get(0), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> s.afterEpoch(Double.NaN));
    }

    @Test
    void otherSpecsBuildTheirSchedulers() {
        assertInstanceOf(MultiStepLR.class, Schedulers.fromSpec("multistep:3,6:0.2", sgd(), 10, 1).scheduler());
        assertInstanceOf(ExponentialLR.class, Schedulers.fromSpec("exp:0.9", sgd(), 10, 1).scheduler());
        assertInstanceOf(LinearLR.class, Schedulers.fromSpec("linear", sgd(), 10, 1).scheduler());
        assertInstanceOf(SequentialLR.class, Schedulers.fromSpec("warmup-cosine:2", sgd(), 10, 1).scheduler());
        assertEquals(TrainingSchedule.Granularity.NONE, Schedulers.fromSpec("none", sgd(), 10, 1).granularity());
        assertEquals(TrainingSchedule.Granularity.PLATEAU, Schedulers.fromSpec("PLATEAU:3:0.5:max", sgd(), 10, 1).granularity());
    }

    @Test
    void badSpecsAreRejectedWithTheAcceptedForms() {
        for (String bad : List.of("cosinus", "step", "step:x", "exp", "warmup-cosine:10", "plateau:1:0.5:sideways")) {
            var e = assertThrows(IllegalArgumentException.class, () -> Schedulers.fromSpec(bad, sgd(), 10, 1), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("accepted:"), e.getMessage());
        }
    }
}
