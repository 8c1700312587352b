package dev.linea.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Generator;
import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.data.CsvDataset;
import dev.linea.data.DataLoader;
import dev.linea.data.Subset;
import dev.linea.data.SupervisedDataset;
import dev.linea.io.Checkpoints;
import dev.linea.io.TrainingProgress;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Dropout;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;
import dev.linea.nn.ReLU;
import dev.linea.nn.Sequential;
import dev.linea.optim.Adam;
import dev.linea.optim.Optimizer;
import dev.linea.optim.SGD;
import dev.linea.optim.lr.StepLR;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path dir;

    /** Two Gaussian blobs in 2-D, centred at (-1.5, -1.5) and (1.5, 1.5), unit variance, written as a CSV file. */
    private Path blobs(int perClass) throws IOException {
        Random r = new Random(42);
        StringBuilder sb = new StringBuilder("x,y,label\n");
        for (int i = 0; i < perClass; i++) {
            for (String label : new String[] {"left", "right"}) {
                double c = label.equals("left") ? -1.5 : 1.5;
                sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", c + r.nextGaussian(), c + r.nextGaussian(), label));
            }
        }
        Path f = dir.resolve("blobs.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    private static Module net() {
        Linea.manualSeed(1);
        return new Sequential(new Linear(2, 16), new ReLU(), new Dropout(0.2f), new Linear(16, 2));
    }

    private static List<Subset> split(CsvDataset data) {
        return Subset.randomSplit(data, new Generator(7), 0.8, 0.2);
    }

    private static DataLoader loader(SupervisedDataset d) {
        return DataLoader.builder(d).batchSize(16).shuffle(true).seed(3).build();
    }

    private static float[] weights(Module m) {
        List<Float> all = new ArrayList<>();
        for (Tensor p : m.parameters()) {
            for (float v : p.toFloatArray()) {
                all.add(v);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    @Test
    void fitOnACsvOfTwoGaussianBlobsLearnsToSeparateThem() throws IOException {
        CsvDataset data = CsvDataset.read(blobs(200), "label");
        List<Subset> parts = split(data);
        Module model = net();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path metrics = dir.resolve("metrics.csv");
        Trainer trainer = Trainer.builder(model, new Adam(model.parameters(), 0.01), new CrossEntropyLoss())
                .epochs(5).seed(0)
                .callbacks(new ProgressBar(new PrintStream(log, true, StandardCharsets.UTF_8), false),
                        new DivergenceStop(2), new CsvLogger(metrics))
                .build();
        Evaluation before = trainer.evaluate(parts.get(1));
        History h = trainer.fit(loader(parts.get(0)), parts.get(1));
        assertEquals(StopReason.COMPLETED, h.reason());
        assertEquals(5, h.epochs().size());
        assertEquals(6, h.progress().epoch());
        Evaluation after = trainer.evaluate(parts.get(1));
        assertTrue(after.accuracy() > 0.95, "accuracy " + after.accuracy() + " (before training " + before.accuracy() + ")");
        assertTrue(after.loss() < before.loss() / 2, after.loss() + " vs " + before.loss());
        assertEquals(after.loss(), h.last().validationLoss(), 1e-12);
        assertEquals(80, after.confusion().total());
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Epoch 5/5  train loss ") && text.contains("test accuracy") && text.contains("lr 0.01  ("), text);
        List<String> rows = Files.readAllLines(metrics);
        assertEquals(CsvLogger.HEADER, rows.getFirst());
        assertEquals(6, rows.size());
        assertEquals("0.01", rows.get(5).split(",")[4]);
        // predict: the model's outputs in eval mode, training mode restored
        Tensor x = data.toTensors().inputs();
        Tensor out = trainer.predict(x);
        assertArrayEquals(new int[] {400, 2}, out.shape());
        assertTrue(model.isTraining());
    }

    /** The plain PyTorch loop, written out, gives the bits the trainer gives. */
    @Test
    void theTrainerIsThePlainLoop() throws IOException {
        CsvDataset data = CsvDataset.read(blobs(50), "label");
        Module a = net();
        Optimizer oa = new SGD(a.parameters(), 0.1);
        Trainer.builder(a, oa, new CrossEntropyLoss()).epochs(2).build().fit(loader(data), null);

        Module b = net();
        Optimizer ob = new SGD(b.parameters(), 0.1);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        DataLoader loader = loader(data);
        b.train();
        for (int epoch = 0; epoch < 2; epoch++) {
            for (var batch : loader.epoch(epoch)) {
                Tensor loss = ce.forward(b.forward(batch.inputs()), batch.targets());
                ob.zeroGrad();
                loss.backward();
                ob.step();
            }
        }
        assertArrayEquals(weights(b), weights(a));
    }

    @Test
    void aRunStoppedMidEpochAndResumedFromItsCheckpointEndsWithTheBitsOfAnUninterruptedOne() throws IOException {
        CsvDataset data = CsvDataset.read(blobs(100), "label");
        List<Subset> parts = split(data);

        Module whole = net();
        Optimizer wo = new Adam(whole.parameters(), 0.01);
        Trainer.builder(whole, wo, new CrossEntropyLoss()).epochs(3).seed(5)
                .scheduling(Scheduling.perEpoch(new StepLR(wo, 1, 0.5))).build().fit(loader(parts.get(0)), parts.get(1));

        Module first = net();
        Optimizer fo = new Adam(first.parameters(), 0.01);
        Path weights = dir.resolve("model.safetensors"), state = dir.resolve("state.safetensors");
        Callback stopAtBatch = new Callback() {
            @Override
            public void onBatchEnd(Trainer t, double meanLoss, long samples) {
                if (t.epoch() == 2 && t.batch() == 3) {
                    t.stop();
                }
            }
        };
        Trainer firstTrainer = Trainer.builder(first, fo, new CrossEntropyLoss()).epochs(3).seed(5)
                .scheduling(Scheduling.perEpoch(new StepLR(fo, 1, 0.5)))
                .callbacks(stopAtBatch, ModelCheckpoint.last(weights, state)).build();
        History stopped = firstTrainer.fit(loader(parts.get(0)), parts.get(1));
        assertEquals(StopReason.STOPPED, stopped.reason());
        assertEquals(2, stopped.progress().epoch());
        assertEquals(3, stopped.progress().batch());
        assertEquals(1, stopped.epochs().size());

        // A fresh process: a new model and optimizer, everything from the checkpoint.
        Module second = net();
        Optimizer so = new Adam(second.parameters(), 0.01);
        StepLR schedule = new StepLR(so, 1, 0.5);
        TrainingProgress from = Checkpoints.resume(state, second, so);
        schedule.loadStateDict(new java.util.LinkedHashMap<>(from.scheduler()));
        History rest = Trainer.builder(second, so, new CrossEntropyLoss()).epochs(3).seed(5)
                .scheduling(Scheduling.perEpoch(schedule)).build().fit(loader(parts.get(0)), parts.get(1), from);
        assertEquals(StopReason.COMPLETED, rest.reason());
        assertEquals(List.of(2, 3), rest.epochs().stream().map(EpochResult::epoch).toList());
        assertArrayEquals(weights(whole), weights(second));

        // The same trainer, fitted again from where it stopped, continues too (the stop request was served).
        assertEquals(StopReason.COMPLETED, firstTrainer.fit(loader(parts.get(0)), parts.get(1), stopped.progress()).reason());
        assertArrayEquals(weights(whole), weights(first));
    }

    @Test
    void earlyStoppingEndsTheRunAfterPatienceEpochsWithoutAnImprovementOfMinDelta() throws IOException {
        CsvDataset data = CsvDataset.read(blobs(50), "label");
        List<Subset> parts = split(data);
        Module model = net();
        Path best = dir.resolve("best.safetensors");
        // A min delta no loss can beat: only the first epoch (after +inf) counts as an improvement.
        History h = Trainer.builder(model, new Adam(model.parameters(), 0.01), new CrossEntropyLoss()).epochs(10)
                .callbacks(ModelCheckpoint.best(best), new EarlyStopping(2, 1e9)).build()
                .fit(loader(parts.get(0)), parts.get(1));
        assertEquals(StopReason.EARLY_STOPPED, h.reason());
        assertEquals(3, h.epochs().size());
        assertTrue(h.epochs().getFirst().improved());
        assertFalse(h.epochs().get(1).improved());
        assertEquals(2, h.progress().badEpochs());
        assertEquals(h.epochs().getFirst().validationLoss(), h.progress().bestLoss());
        assertTrue(Files.size(best) > 0);

        var e = assertThrows(IllegalStateException.class, () -> Trainer.builder(model,
                new Adam(model.parameters(), 0.01), new CrossEntropyLoss()).callbacks(new EarlyStopping(1, 0)).build()
                .fit(loader(parts.get(0)), null));
        assertEquals("early stopping needs validation data: pass it to Trainer.fit", e.getMessage());
    }

    @Test
    void aDivergingRunStopsWithOneLineSayingWhereAndNothingIsCheckpointed() throws IOException {
        CsvDataset data = CsvDataset.read(blobs(50), "label");
        Module model = net();
        Path weights = dir.resolve("m.safetensors"), state = dir.resolve("s.safetensors");
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 1e30), new CrossEntropyLoss()).epochs(2)
                .callbacks(new DivergenceStop(2), ModelCheckpoint.last(weights, state)).build();
        TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> trainer.fit(loader(data), data));
        assertTrue(e.getMessage().startsWith("training diverged at epoch 1, batch "), e.getMessage());
        assertTrue(e.getMessage().contains(", lr 1.0E30: "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertFalse(Files.exists(state));
    }

    @Test
    void callbacksRunAtTheirPointsOfTheLoopInOrder() throws IOException {
        CsvDataset data = CsvDataset.read(blobs(8), "label"); // 16 rows: one batch of 16
        Module model = net();
        List<String> events = new ArrayList<>();
        Callback recorder = new Callback() {
            @Override public void onTrainBegin(Trainer t) { events.add("trainBegin"); }
            @Override public void onEpochBegin(Trainer t, int epoch) { events.add("epochBegin " + epoch); }
            @Override public void onBatchLoss(Trainer t, float loss) { events.add("loss " + t.batch()); }
            @Override public void afterBackward(Trainer t) {
                events.add("backward " + (t.model().parameters().getFirst().grad() != null));
            }
            @Override public void afterStep(Trainer t) { events.add("step"); }
            @Override public void onBatchEnd(Trainer t, double mean, long samples) { events.add("batchEnd " + samples); }
            @Override public void onValidated(Trainer t, EpochResult r) { events.add("validated " + r.epoch()); }
            @Override public void onEpochEnd(Trainer t, EpochResult r, TrainingProgress next) {
                events.add("epochEnd " + r.epoch() + " next " + next.epoch());
            }
            @Override public void onTrainEnd(Trainer t, History h) { events.add("trainEnd " + h.reason()); }
        };
        Trainer.builder(model, new SGD(model.parameters(), 0.1), new CrossEntropyLoss()).epochs(2).callbacks(recorder)
                .build().fit(loader(data), data);
        assertEquals(List.of("trainBegin", "epochBegin 1", "loss 1", "backward true", "step", "batchEnd 16",
                "validated 1", "epochEnd 1 next 2", "epochBegin 2", "loss 1", "backward true", "step", "batchEnd 16",
                "validated 2", "epochEnd 2 next 3", "trainEnd COMPLETED"), events);
    }

    @Test
    void evaluationOfOutputsThatAreNotClassScoresHasTheLossAlone() {
        Module model = new Linear(3, 1);
        var data = new dev.linea.data.TensorDataset(Tensor.ones(4, 3), Tensor.zeros(4, 1));
        Evaluation e = Evaluation.of(model, new dev.linea.nn.MSELoss()::forward, data, 3);
        assertTrue(Double.isNaN(e.accuracy()));
        assertNull(e.confusion());
        assertTrue(e.loss() >= 0);
        assertNotNull(e.predicted());
    }

    @Test
    void badOptionsAreRefused() {
        Module model = net();
        var b = Trainer.builder(model, new SGD(model.parameters(), 0.1), new CrossEntropyLoss());
        assertEquals("epochs must be at least 1, got 0", assertThrows(IllegalArgumentException.class, () -> b.epochs(0)).getMessage());
        assertEquals("max norm must be finite and >= 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> b.clipGradNorm(-1)).getMessage());
        assertEquals("patience must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0, 0)).getMessage());
        assertEquals("a classifier has at least 2 classes, got 1",
                assertThrows(IllegalArgumentException.class, () -> new DivergenceStop(1)).getMessage());
    }
}
