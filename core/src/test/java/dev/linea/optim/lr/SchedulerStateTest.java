package dev.linea.optim.lr;

import dev.linea.optim.Adam;
import dev.linea.optim.Optimizer;
import dev.linea.optim.OptimizerState;
import dev.linea.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A scheduler rebuilt from a checkpoint (optimizer state + scheduler state) continues the same sequence. */
class SchedulerStateTest {

    /** Runs 30 steps straight, and 12 steps + checkpoint + fresh objects + 18 steps; the rates must be identical. */
    static void resumesIdentically(Function<Optimizer, LRScheduler> make, Function<List<dev.linea.optim.ParamGroup>, Optimizer> opt) {
        Optimizer a = opt.apply(SchedulerGoldenTest.twoGroups());
        LRScheduler sa = make.apply(a);
        List<List<Double>> straight = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            a.step();
            sa.step();
            straight.add(snapshot(a));
        }

        Optimizer b = opt.apply(SchedulerGoldenTest.twoGroups());
        LRScheduler sb = make.apply(b);
        List<List<Double>> resumed = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            b.step();
            sb.step();
            resumed.add(snapshot(b));
        }
        OptimizerState optState = b.stateDict();
        Map<String, Object> schedState = roundTrip(sb.stateDict());

        Optimizer c = opt.apply(SchedulerGoldenTest.twoGroups());
        LRScheduler sc = make.apply(c);
        c.loadStateDict(optState);
        sc.loadStateDict(schedState);
        assertEquals(sb.getLastLr(), sc.getLastLr());
        for (int i = 12; i < 30; i++) {
            c.step();
            sc.step();
            resumed.add(snapshot(c));
        }
        assertEquals(straight, resumed);
    }

    /** Each group's options (lr and momentum), exactly. */
    static List<Double> snapshot(Optimizer o) {
        List<Double> out = new ArrayList<>();
        for (var g : o.paramGroups()) {
            out.add(g.lr());
            if (g.has("beta1")) {
                out.add(g.get("beta1"));
            }
            if (g.has("momentum")) {
                out.add(g.get("momentum"));
            }
        }
        return out;
    }

    /** As a JSON reader would give it back: integers as Long, lists as fresh lists. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> roundTrip(Map<String, Object> s) {
        Map<String, Object> out = new LinkedHashMap<>();
        s.forEach((k, v) -> out.put(k, copy(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object copy(Object v) {
        if (v instanceof Integer i) {
            return (long) i;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(SchedulerStateTest::copy).toList();
        }
        if (v instanceof Map<?, ?> m) {
            return roundTrip((Map<String, Object>) m);
        }
        return v;
    }

    static Optimizer sgdMomentum(List<dev.linea.optim.ParamGroup> g) {
        return SGD.groups(g, 0.1, 0.9, 0, 0, false);
    }

    @Test
    void stepLrResumesMidRun() {
        resumesIdentically(o -> new StepLR(o, 7, 0.5), SchedulerStateTest::sgdMomentum);
    }

    @Test
    void cosineResumesMidRunWithTheRecursiveForm() {
        resumesIdentically(o -> new CosineAnnealingLR(o, 10, 0.001), SchedulerStateTest::sgdMomentum);
    }

    @Test
    void multiStepAndExponentialAndLinearResumeMidRun() {
        resumesIdentically(o -> new MultiStepLR(o, List.of(5, 12, 12, 20), 0.3), SchedulerStateTest::sgdMomentum);
        resumesIdentically(o -> new ExponentialLR(o, 0.9), SchedulerStateTest::sgdMomentum);
        resumesIdentically(o -> new LinearLR(o, 0.1, 0.5, 20), SchedulerStateTest::sgdMomentum);
    }

    @Test
    void oneCycleResumesMidRunIncludingBeta1() {
        resumesIdentically(o -> new OneCycleLR(o, 0.01, 30), g -> Adam.groups(g));
    }

    @Test
    void sequentialResumesMidRunAcrossTheMilestone() {
        resumesIdentically(o -> new SequentialLR(o, List.of(new LinearLR(o, 0.1, 1.0, 5), new CosineAnnealingLR(o, 25)),
                List.of(5)), SchedulerStateTest::sgdMomentum);
    }

    @Test
    void plateauResumesMidRun() {
        double[] m = SchedulerGoldenTest.METRICS;
        Function<Optimizer, ReduceLROnPlateau> make = o -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 0.5, 2,
                1e-4, ReduceLROnPlateau.ThresholdMode.REL, 1, 0.0, 1e-8);
        Optimizer a = SchedulerGoldenTest.sgd();
        ReduceLROnPlateau pa = make.apply(a);
        List<List<Double>> straight = new ArrayList<>();
        for (double v : m) {
            pa.step(v);
            straight.add(pa.getLastLr());
        }
        Optimizer b = SchedulerGoldenTest.sgd();
        ReduceLROnPlateau pb = make.apply(b);
        List<List<Double>> resumed = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            pb.step(m[i]);
            resumed.add(pb.getLastLr());
        }
        Optimizer c = SchedulerGoldenTest.sgd();
        ReduceLROnPlateau pc = make.apply(c);
        c.loadStateDict(b.stateDict());
        pc.loadStateDict(roundTrip(pb.stateDict()));
        for (int i = 13; i < m.length; i++) {
            pc.step(m[i]);
            resumed.add(pc.getLastLr());
        }
        assertEquals(straight, resumed);
    }

    @Test
    void stateDictUsesPyTorchNames() {
        SGD opt = SchedulerGoldenTest.sgd();
        var s = new StepLR(opt, 3);
        s.step();
        Map<String, Object> d = s.stateDict();
        assertEquals(1, d.get("last_epoch"));
        assertEquals(2, d.get("_step_count"));
        assertEquals(List.of(0.1, 0.01), d.get("base_lrs"));
        assertTrue(opt.paramGroups().get(0).has("initial_lr"));
    }

    @Test
    void loadingAStateWithTheWrongGroupCountNamesTheKey() {
        SGD opt = SchedulerGoldenTest.sgd();
        var s = new StepLR(opt, 3);
        Map<String, Object> d = new LinkedHashMap<>(s.stateDict());
        d.put("base_lrs", List.of(0.1));
        var e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(d));
        assertTrue(e.getMessage().contains("base_lrs"), e.getMessage());
    }

    @Test
    void oneCycleRefusesToStepPastTotalSteps() {
        SGD opt = SGD.groups(SchedulerGoldenTest.twoGroups(), 0.1, 0.9, 0, 0, false);
        var s = new OneCycleLR(opt, 0.1, 3);
        s.step();
        s.step();
        s.step();
        var e = assertThrows(IllegalStateException.class, s::step);
        assertTrue(e.getMessage().contains("total steps is 3"), e.getMessage());
    }
}
