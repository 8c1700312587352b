package dev.linea.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.nn.Linear;
import dev.linea.optim.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumsTest {
    @TempDir
    Path tmp;

    /** Flips one bit of the file's last byte: the data of the tensor stored last (name order). */
    private static void flipLastByte(Path f) throws Exception {
        byte[] b = Files.readAllBytes(f);
        b[b.length - 1] ^= 0x10;
        Files.write(f, b);
    }

    @Test
    void aFlippedBitInAModelFileIsReportedAtLoadWithTheFileAndTheTensor() throws Exception {
        Linea.manualSeed(3);
        Path f = tmp.resolve("model.safetensors");
        Checkpoints.saveModel(f, new Linear(3, 2));
        Checkpoints.loadModel(f, new Linear(3, 2)); // whole: loads
        flipLastByte(f);
        SafeTensors.load(f); // the format itself cannot tell
        var e = assertThrows(SafeTensorsException.class, () -> Checkpoints.loadModel(f, new Linear(3, 2)));
        assertTrue(e.getMessage().startsWith(f + ": the data of tensor 'weight' does not match its checksum (CRC32C "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("): the file is damaged"), e.getMessage());
    }

    @Test
    void aFlippedBitInATrainingCheckpointIsReportedAtLoadAndResume() throws Exception {
        Linea.manualSeed(4);
        Linear m = new Linear(3, 2);
        Adam opt = new Adam(m.parameters(), 0.1);
        m.forward(Tensor.randn(4, 3)).sum().backward();
        opt.step();
        Path f = tmp.resolve("training-state.safetensors");
        Checkpoints.save(f, Checkpoint.of(m, opt, TrainingProgress.start()));
        Checkpoints.load(f);
        flipLastByte(f);
        var e = assertThrows(SafeTensorsException.class,
                () -> Checkpoints.resume(f, new Linear(3, 2), new Adam(new Linear(3, 2).parameters(), 0.1)));
        assertTrue(e.getMessage().startsWith(f + ": the data of tensor 'optimizer.state.1.step' does not match"),
                e.getMessage());
    }

    @Test
    void aTensorMissingFromTheChecksumsIsReported() throws Exception {
        Path f = tmp.resolve("m.safetensors");
        Map<String, Tensor> t = new LinkedHashMap<>(Map.of("weight", Tensor.ones(2, 3), "bias", Tensor.zeros(2)));
        String sums = Checksums.of(Map.of("weight", t.get("weight")));
        SafeTensors.save(f, t, Map.of("format", "pt", Checksums.KEY, sums));
        var e = assertThrows(SafeTensorsException.class, () -> Checkpoints.loadModel(f, new Linear(3, 2)));
        assertEquals(f + ": tensor 'bias' has no checksum in 'linea.crc32c': the file is damaged or was edited",
                e.getMessage());
    }

    @Test
    void filesWithoutChecksumsStillLoad() throws Exception {
        Path f = tmp.resolve("old.safetensors");
        Map<String, Tensor> t = Map.of("weight", Tensor.ones(2, 3), "bias", Tensor.zeros(2));
        SafeTensors.save(f, t, Map.of("format", "pt"));
        Linear m = new Linear(3, 2);
        Checkpoints.loadModel(f, m);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, m.weight.toFloatArray());
    }
}
