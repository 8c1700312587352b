package dev.linea.cli.train;

import dev.linea.Tensor;
import dev.linea.io.Checkpoints;
import dev.linea.io.SafeTensors;
import dev.linea.io.TrainingProgress;
import dev.linea.nn.Module;
import dev.linea.optim.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run folder written by {@code linea train} before its checkpoint codec moved into the library (format
 * v1, see {@code run-v1/README.md}): it restores bit for bit, resumes at the batch it stopped at, and
 * evaluates and predicts afterwards.
 */
class VersionOneRunTest {
    private static final int STOPPED_AT = 2014;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Path oldRun(String name) throws IOException {
        Path run = Files.createDirectories(dir.resolve(name));
        for (String f : List.of(TrainSettings.FILE, RunFiles.METRICS, RunFiles.STATE)) {
            try (InputStream in = VersionOneRunTest.class.getResourceAsStream("run-v1/" + f)) {
                Files.copy(in, run.resolve(f));
            }
        }
        return run;
    }

    private static void assertBitwiseEqual(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, e) -> {
            assertArrayEquals(e.shape(), actual.get(k).shape(), k);
            float[] x = e.toFloatArray(), y = actual.get(k).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), k + "[" + i + "]");
            }
        });
    }

    @Test
    void loadingRestoresTheSavedWeightsMomentumScheduleAndPositionExactly() throws IOException {
        Path run = oldRun("run");
        TrainSettings s = TrainSettings.load(run);
        Module model = Training.model(s);
        Optimizer opt = Training.optimizer(s, model);
        TrainingProgress p = Checkpoints.resume(run.resolve(RunFiles.STATE), model, opt);

        Map<String, Tensor> weights = new TreeMap<>(), momentum = new TreeMap<>();
        SafeTensors.load(run.resolve(RunFiles.STATE)).tensors().forEach((k, v) -> {
            if (k.startsWith("model.")) {
                weights.put(k.substring("model.".length()), v);
            } else {
                momentum.put(k.substring("optimizer.state.".length()), v);
            }
        });
        assertBitwiseEqual(weights, model.stateDict());
        Map<String, Tensor> restored = new TreeMap<>();
        opt.stateDict().state().forEach((i, b) -> b.forEach((name, t) -> restored.put(i + "." + name, t)));
        assertBitwiseEqual(momentum, restored);
        assertEquals(6, restored.size(), "one momentum buffer per parameter");
        assertEquals(0.001, opt.paramGroups().get(0).lr(), "the rate after one step of step:1:0.5 from 0.002");
        assertEquals(0.002, opt.paramGroups().get(0).get("initial_lr"));
        assertEquals(1.0, opt.paramGroups().get(0).get("nesterov"));

        assertEquals(2, p.epoch());
        assertEquals(STOPPED_AT, p.batch());
        assertEquals(2 * STOPPED_AT, p.seen());
        assertEquals(2560.317380697972, p.lossSum());
        assertEquals(0.402661345, p.seconds());
        assertEquals(0.6438392944335938, p.bestLoss());
        assertArrayEquals(new long[] {-31931731, 1803195012, 1924775341, -1611016450, 0, 0}, p.generator());
        assertEquals(1L, p.scheduler().get("last_epoch"));
        assertEquals(List.of(0.001), p.scheduler().get("_last_lr"));
    }

    @Test
    void resumingContinuesAtTheSavedBatchToTheBitsOfAContinuationStoppedAgainAndThenEvaluates() throws IOException {
        Path straight = oldRun("straight"), stopped = oldRun("stopped");
        Training.resume(straight, 2, null, out);
        Training.resume(stopped, 2, null, out, Trainer::requestStop); // one more batch, saved in the new format
        Training.resume(stopped, 2, null, out);
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Resuming " + straight + " at epoch 2, batch " + STOPPED_AT), text);
        assertTrue(text.contains("Stopped at epoch 2, batch " + (STOPPED_AT + 1) + "/2500"), text);
        assertTrue(text.contains("Resuming " + stopped + " at epoch 2, batch " + (STOPPED_AT + 1)), text);
        assertArrayEquals(Files.readAllBytes(straight.resolve(RunFiles.MODEL)), Files.readAllBytes(stopped.resolve(RunFiles.MODEL)));

        List<String> metrics = Files.readAllLines(straight.resolve(RunFiles.METRICS));
        assertEquals(3, metrics.size(), metrics.toString());
        assertEquals("1,0.932556,0.643839,0.751000,2.927", metrics.get(1), "epoch 1 is kept as the old run wrote it");
        assertEquals(withoutSeconds(metrics.get(2)), withoutSeconds(Files.readAllLines(stopped.resolve(RunFiles.METRICS)).get(2)));

        Path state = straight.resolve(RunFiles.STATE);
        assertEquals(Checkpoints.FORMAT, SafeTensors.load(state).metadata().get("format"));
        TrainingProgress end = Checkpoints.load(state).progress();
        assertEquals(3, end.epoch());
        assertEquals(0, end.batch());
        assertEquals(List.of(0.0005), end.scheduler().get("_last_lr"), "the schedule went on from the saved step");

        RunModel model = RunModel.open(straight, false);
        assertTrue(model.evaluateReport().contains("accuracy"));
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(14, 14, 0, 255);
        Path png = dir.resolve("dot.png");
        ImageIO.write(img, "png", png.toFile());
        assertEquals(2, model.predictReport(png, 2).lines().count());
    }

    @Test
    void aStateThatCannotContinueThisRunFailsWithOneLineNamingTheFile() throws IOException {
        for (var damage : List.of(Map.of("scheduler", "{\"base_lrs\":[0.002]}"), Map.of("generator", ""))) {
            Path run = oldRun("run-" + damage.keySet().iterator().next());
            Path state = run.resolve(RunFiles.STATE);
            SafeTensors.Loaded l = SafeTensors.load(state);
            Map<String, String> meta = new java.util.HashMap<>(l.metadata());
            meta.putAll(damage);
            SafeTensors.save(state, l.tensors(), meta);
            IOException e = assertThrows(IOException.class, () -> Training.resume(run, 2, null, out));
            assertTrue(e.getMessage().startsWith(state + ": ") && !e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().contains(damage.containsKey("generator")
                    ? "stopped at batch 2014 of an epoch but holds no generator state"
                    : "the scheduler state does not fit --scheduler step:1:0.5: scheduler state has no 'last_epoch'"),
                    e.getMessage());
        }
    }

    private static String withoutSeconds(String row) {
        return row.substring(0, row.lastIndexOf(','));
    }
}
