package dev.linea.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.io.Checkpoints;
import dev.linea.io.SafeTensors;
import dev.linea.io.SafeTensorsException;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsTest {
    @TempDir
    Path dir;

    private static final ModelCard.Preprocessing NORM = ModelCard.Preprocessing.normalize(0.5f, 0.25f, false);

    /** A user's own module, registered by name. */
    static final class TwoLayer extends Module {
        final Linear a;
        final Linear b;

        TwoLayer(int hidden) {
            a = new Linear(4, hidden);
            b = new Linear(hidden, 3);
        }

        @Override
        public Tensor forward(Tensor x) {
            return b.forward(a.forward(x).relu());
        }
    }

    @Test
    void fcnnAndCnnAreRegistered() {
        assertTrue(Models.names().containsAll(List.of("cnn", "fcnn")), Models.names().toString());
        assertInstanceOf(FCNN.class, Models.create("fcnn", Map.of("dropout", 0.2)));
        assertInstanceOf(CNN.class, Models.create("cnn", Map.of()));
    }

    @Test
    void aSavedModelLoadsBackAsTheSameModuleWithTheSameWeights() throws IOException {
        Linea.manualSeed(1);
        FCNN model = new FCNN(0.1f);
        ModelCard card = ModelCard.of("fcnn", Map.of("dropout", 0.1f), new int[] {1, 28, 28}, NORM, List.of("a", "b"));
        Path f = dir.resolve("m.safetensors");
        Models.save(f, model, card);

        Models.Loaded back = Models.loadWithCard(f);
        assertInstanceOf(FCNN.class, back.module());
        assertFalse(back.module().isTraining(), "loaded for inference, in eval mode");
        assertEquals(card, back.card());
        assertEquals(card, Models.readCard(f));
        Tensor x = Tensor.rand(2, 1, 28, 28);
        model.eval();
        assertArrayEquals(model.forward(x).toFloatArray(), back.module().forward(x).toFloatArray());
        // Still an ordinary PyTorch-style file: format "pt", the weights under their dotted names.
        SafeTensors.Loaded raw = SafeTensors.load(f);
        assertEquals("pt", raw.metadata().get("format"));
        assertEquals(model.stateDict().keySet(), raw.tensors().keySet());
    }

    @Test
    void aUsersOwnModuleIsRebuiltOnceRegistered() throws IOException {
        Models.register("test-two-layer", c -> new TwoLayer(c.getInt("hidden", 8)));
        Linea.manualSeed(2);
        TwoLayer net = new TwoLayer(5);
        Path f = dir.resolve("two.safetensors");
        Models.save(f, net, ModelCard.of("test-two-layer", Map.of("hidden", 5), new int[] {4}, NORM, List.of()));
        Module back = Models.load(f);
        assertInstanceOf(TwoLayer.class, back);
        Tensor x = Tensor.rand(3, 4);
        assertArrayEquals(net.forward(x).toFloatArray(), back.forward(x).toFloatArray());
    }

    @Test
    void savingAndLoadingLeaveTheGlobalRandomStreamAlone() throws IOException {
        Linea.manualSeed(5);
        FCNN model = new FCNN(0.2f);
        long[] before = dev.linea.Generator.global().state();
        Path f = dir.resolve("rng.safetensors");
        Models.save(f, model, ModelCard.of("fcnn", Map.of("dropout", 0.2f), new int[] {1, 28, 28}, NORM, List.of()));
        Module back = Models.load(f);
        assertArrayEquals(before, dev.linea.Generator.global().state(), "a save or load mid-training must not shift "
                + "the run's shuffling and dropout masks");
        assertEquals(dev.linea.Generator.global(), back.generator(), "the loaded model's dropout draws from the global one");
    }

    @Test
    void registeringANameTwiceIsRefused() {
        Models.register("test-twice", c -> new FCNN());
        var e = assertThrows(IllegalStateException.class, () -> Models.register("test-twice", c -> new CNN()));
        assertTrue(e.getMessage().startsWith("model 'test-twice' is already registered"), e.getMessage());
    }

    @Test
    void aFileWithoutACardSaysWhoWroteItAndWhatToDoInstead() throws IOException {
        Path f = dir.resolve("plain.safetensors");
        Checkpoints.saveModel(f, new FCNN());
        var e = assertThrows(SafeTensorsException.class, () -> Models.load(f));
        assertEquals(f + ": this file has no Linea model card (metadata 'linea.model_card'); it was written by "
                + "Checkpoints.saveModel, without a card (an older Linea). Build the module yourself and load the "
                + "weights with Module.loadStateDict (Checkpoints.loadModel(file, module))", e.getMessage());
        Path torch = dir.resolve("torch.safetensors");
        SafeTensors.save(torch, new FCNN().stateDict(), Map.of("format", "pt"));
        e = assertThrows(SafeTensorsException.class, () -> Models.load(torch));
        assertTrue(e.getMessage().contains("it was written by PyTorch (safetensors.torch.save_file, format 'pt')"),
                e.getMessage());
    }

    @Test
    void anUnregisteredArchitectureListsTheRegisteredOnes() throws IOException {
        Path f = dir.resolve("unknown.safetensors");
        ModelCard card = ModelCard.of("nobody-registered-this", Map.of(), new int[] {4}, NORM, List.of());
        SafeTensors.save(f, new TwoLayer(2).stateDict(), card.toMetadata());
        var e = assertThrows(SafeTensorsException.class, () -> Models.load(f));
        assertTrue(e.getMessage().startsWith(f + ": unknown model 'nobody-registered-this'; registered: "), e.getMessage());
        assertTrue(e.getMessage().contains("cnn, fcnn") && e.getMessage().contains("Models.register(\"nobody-registered-this\""),
                e.getMessage());
    }

    @Test
    void weightsThatDoNotFitTheArchitectureAreReported() throws IOException {
        Path f = dir.resolve("mismatch.safetensors");
        ModelCard card = ModelCard.of("fcnn", Map.of(), new int[] {1, 28, 28}, NORM, List.of());
        Map<String, String> meta = new java.util.HashMap<>(card.toMetadata());
        SafeTensors.save(f, new CNN().stateDict(), meta);
        var e = assertThrows(SafeTensorsException.class, () -> Models.load(f));
        assertTrue(e.getMessage().startsWith(f + ": the weights do not fit its architecture fcnn{}: state dict does not "
                + "match FCNN: missing keys [fc3.weight, fc3.bias], unexpected keys [conv1.bias"), e.getMessage());
    }

    @Test
    void savingWithACardThatDoesNotRebuildTheModelIsRefused() {
        ModelCard card = ModelCard.of("cnn", Map.of(), new int[] {1, 28, 28}, NORM, List.of());
        var e = assertThrows(IllegalArgumentException.class, () -> Models.save(dir.resolve("x.safetensors"), new FCNN(), card));
        assertTrue(e.getMessage().startsWith("the card's architecture cnn{} builds CNN with parameters {conv1.weight=[32, 1, 3, 3]"),
                e.getMessage());
    }

    @Test
    void anUnknownOptionIsRefusedRatherThanIgnored() {
        var e = assertThrows(IllegalArgumentException.class, () -> Models.create("fcnn", Map.of("hidden", 256)));
        assertEquals("model 'fcnn' has no option hidden (its options: dropout, in_features, num_classes)", e.getMessage());
    }
}
