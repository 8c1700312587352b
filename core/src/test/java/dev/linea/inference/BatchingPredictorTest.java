package dev.linea.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.models.FCNN;
import dev.linea.nn.Module;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchingPredictorTest {
    /** FCNN that counts its forwards and remembers the largest batch. */
    static final class Counting extends Module {
        final FCNN inner = new FCNN();
        final AtomicInteger forwards = new AtomicInteger();
        final AtomicInteger largest = new AtomicInteger();

        @Override
        public Tensor forward(Tensor x) {
            forwards.incrementAndGet();
            largest.accumulateAndGet(x.shape()[0], Math::max);
            return inner.forward(x);
        }
    }

    @Test
    void concurrentRequestsAreAnsweredInSharedForwardsWithEachCallersAnswer() throws Exception {
        Linea.manualSeed(11);
        Counting model = new Counting();
        Predictor p = new Predictor(model, PredictorTest.card("fcnn", true));
        int threads = 16, calls = 25;
        Random r = new Random(6);
        float[][] inputs = new float[threads * calls][];
        List<List<Prediction>> serial = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = PredictorTest.randomInput(r);
            serial.add(p.predict(inputs[i], 1 + i % 4));
        }
        model.forwards.set(0);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (BatchingPredictor b = new BatchingPredictor(p, 8, Duration.ofMillis(20))) {
            List<Future<List<List<Prediction>>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = t * calls;
                futures.add(pool.submit(() -> {
                    List<List<Prediction>> mine = new ArrayList<>();
                    for (int i = from; i < from + calls; i++) {
                        mine.add(b.predict(inputs[i], 1 + i % 4));
                    }
                    return mine;
                }));
            }
            for (int t = 0; t < threads; t++) {
                List<List<Prediction>> got = futures.get(t).get();
                for (int i = 0; i < calls; i++) {
                    PredictorTest.assertSame(serial.get(t * calls + i), got.get(i), 1e-6f);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(model.largest.get() > 1 && model.largest.get() <= 8, "largest batch " + model.largest.get());
        assertTrue(model.forwards.get() < threads * calls, model.forwards.get() + " forwards for " + threads * calls
                + " requests");
    }

    @Test
    void aBadInputFailsItsCallerAloneAndAClosedBatcherRefuses() {
        Linea.manualSeed(12);
        Predictor p = new Predictor(new FCNN(), PredictorTest.card("fcnn", true));
        BatchingPredictor b = new BatchingPredictor(p, 4, Duration.ZERO);
        var e = assertThrows(IllegalArgumentException.class, () -> b.predict(new float[3], 1));
        assertEquals("input has 3 values, the model takes 784 (input shape [1, 28, 28])", e.getMessage());
        assertEquals(p.predict(new float[784], 2), b.predict(new float[784], 2));
        b.close();
        var s = assertThrows(IllegalStateException.class, () -> b.predict(new float[784], 1));
        assertEquals("the batching predictor is closed", s.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchingPredictor(p, 0, Duration.ZERO));
    }
}
