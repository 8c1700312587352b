package dev.linea.nn;

import dev.linea.Generator;
import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.data.Batch;
import dev.linea.data.DataLoader;
import dev.linea.data.Shift;
import dev.linea.data.TensorDataset;
import dev.linea.models.CNN;
import dev.linea.models.FCNN;
import dev.linea.nn.functional.F;
import dev.linea.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A generator per model, loader and augmentation (PyTorch's {@code generator=} arguments): a model built
 * with {@link Module#withGenerator} gets the weights a global seed gives and draws its dropout masks from its
 * own generator, so two models trained at once in one JVM each end with the bits they get alone.
 */
class GeneratorPerModelTest {

    private static int[] bits(Map<String, Tensor> state) {
        List<Integer> out = new ArrayList<>();
        state.values().forEach(t -> {
            for (float v : t.toFloatArray()) {
                out.add(Float.floatToRawIntBits(v));
            }
        });
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void aModelBuiltWithItsOwnGeneratorHasTheWeightsOfTheGlobalSeedAndLeavesTheGlobalGeneratorAlone() {
        Linea.manualSeed(42);
        int[] seeded = bits(new FCNN(0.1f).stateDict());
        int[] seededCnn = bits(new CNN().stateDict());

        Linea.manualSeed(7);
        long[] global = Generator.global().state();
        Generator own = new Generator(42);
        FCNN model = Module.withGenerator(own, () -> new FCNN(0.1f));
        CNN cnn = Module.withGenerator(own, CNN::new);
        assertArrayEquals(seeded, bits(model.stateDict()));
        assertArrayEquals(seededCnn, bits(cnn.stateDict()));
        assertArrayEquals(global, Generator.global().state(), "building drew nothing from the global generator");
        assertSame(own, model.generator());
        assertSame(own, model.fc2.generator(), "every layer built in the scope keeps the generator");

        FCNN again = new FCNN(0.1f); // built from the global generator, then redrawn
        global = Generator.global().state();
        again.resetParameters(new Generator(42));
        assertArrayEquals(seeded, bits(again.stateDict()), "resetParameters(gen) redraws what the seed gave");
        model.fc1.resetParameters();
        assertNotEquals(seeded[0], bits(model.stateDict())[0], "resetParameters() draws on from the model's generator");
        assertArrayEquals(global, Generator.global().state());
        assertSame(Generator.global(), new Linear(2, 2).generator(), "outside the scope: the global one, as before");
    }

    @Test
    void dropoutDrawsItsMasksFromItsModulesGenerator() {
        Tensor x = Tensor.ones(4, 3, 5, 5);
        long[] global = Generator.global().state();
        float[] expected = F.dropout(x, 0.5f, true, new Generator(3)).toFloatArray();
        assertArrayEquals(expected, new Dropout(0.5f, new Generator(3)).forward(x).toFloatArray());
        float[] channels = F.dropout2d(x, 0.5f, true, new Generator(3)).toFloatArray();
        assertArrayEquals(channels, new Dropout2d(0.5f, new Generator(3)).forward(x).toFloatArray());
        FCNN model = new FCNN(0.5f);
        global = Generator.global().state();
        model.setGenerator(new Generator(9));
        Tensor in = Tensor.randn(new Generator(1), 2, 784);
        float[] first = model.forward(in).toFloatArray();
        model.setGenerator(new Generator(9));
        assertArrayEquals(first, model.forward(in).toFloatArray(), "the masks come from the set generator");
        assertArrayEquals(global, Generator.global().state());
        assertFalse(java.util.Arrays.equals(expected, x.toFloatArray()), "the masks dropped something");
    }

    /** One training run: its model, loader seed and augmentation generator; {@code beforeStep} may wait. */
    private static int[] train(FCNN model, long seed, int steps, IntFunction<Void> beforeStep) {
        Tensor inputs = Tensor.randn(new Generator(100 + seed), 96, 1, 28, 28);
        Tensor targets = Tensor.randint(new Generator(200 + seed), 0, 10, 96);
        DataLoader loader = DataLoader.builder(new TensorDataset(inputs, targets)).batchSize(32).shuffle(true)
                .seed(seed).build();
        Generator augment = new Generator(300 + seed);
        Adam opt = new Adam(model.parameters(), 1e-2);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        int step = 0;
        for (int epoch = 0; step < steps; epoch++) {
            for (Batch b : loader.epoch(epoch)) {
                if (step++ == steps) {
                    break;
                }
                beforeStep.apply(step);
                Tensor x = Shift.random(b.inputs(), 2, 0f, augment);
                opt.zeroGrad();
                loss.forward(model.forward(x), b.targets()).backward();
                opt.step();
            }
        }
        return bits(model.stateDict());
    }

    @Test
    void twoModelsTrainedAtOnceInOneJvmEachGetTheBitsTheyGetAlone() throws Exception {
        int steps = 8;
        int[] aloneA = train(Module.withGenerator(new Generator(1), () -> new FCNN(0.3f)), 1, steps, s -> null);
        int[] aloneB = train(Module.withGenerator(new Generator(2), () -> new FCNN(0.3f)), 2, steps, s -> null);
        assertFalse(java.util.Arrays.equals(aloneA, aloneB));

        // Two threads, a barrier before every step: the steps of A and B strictly interleave.
        CyclicBarrier barrier = new CyclicBarrier(2);
        IntFunction<Void> together = s -> {
            try {
                barrier.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return null;
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<int[]> a = pool.submit(() -> train(Module.withGenerator(new Generator(1), () -> new FCNN(0.3f)), 1,
                    steps, together));
            Future<int[]> b = pool.submit(() -> train(Module.withGenerator(new Generator(2), () -> new FCNN(0.3f)), 2,
                    steps, together));
            assertArrayEquals(aloneA, a.get(), "model A");
            assertArrayEquals(aloneB, b.get(), "model B");

            // The control: the same two runs on the global generator do not survive the interleaving.
            Linea.manualSeed(1);
            int[] globalAlone = train(new FCNN(0.3f), 1, steps, s -> null);
            Linea.manualSeed(1);
            FCNN first = new FCNN(0.3f), second = new FCNN(0.3f);
            Future<int[]> shared = pool.submit(() -> train(first, 1, steps, together));
            pool.submit(() -> train(second, 2, steps, together)).get();
            assertEquals(aloneA.length, shared.get().length);
            assertFalse(java.util.Arrays.equals(globalAlone, shared.get()),
                    "with one generator for both, each run's masks depend on the other's draws");
        } finally {
            pool.shutdownNow();
        }
    }
}
