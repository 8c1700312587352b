package dev.linea.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Linea;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCardTest {
    private static ModelCard card() {
        return ModelCard.of("fcnn", Map.of("dropout", 0.1f), new int[] {1, 28, 28},
                ModelCard.Preprocessing.normalize(0.2860f, 0.3530f, true), List.of("zero", "one \"1\""));
    }

    @Test
    void theJsonFormRoundTripsToAnEqualCard() {
        ModelCard c = card();
        ModelCard back = ModelCard.fromJson(c.toJson());
        assertEquals(c, back);
        assertEquals(0.1f, back.config().getFloat("dropout", 0f));
        assertEquals(784, back.inputSize());
        assertEquals(Linea.version(), back.lineaVersion());
    }

    @Test
    void theJsonFormIsTheDocumentedOne() {
        String json = card().toJson();
        assertTrue(json.startsWith("{\"format\":\"linea.model-card.v1\",\"architecture\":\"fcnn\",\"config\":{\"dropout\":0.1},"
                + "\"input_shape\":[1,28,28],\"preprocessing\":{\"mean\":[0.286],\"std\":[0.353],"
                + "\"invert_light_background\":true},\"class_names\":[\"zero\",\"one \\\"1\\\"\"],\"linea_version\":"), json);
    }

    @Test
    void metadataHoldsTheCardUnderItsKey() {
        Map<String, String> meta = card().toMetadata();
        assertEquals(List.of(ModelCard.METADATA_KEY), List.copyOf(meta.keySet()));
        assertEquals(card(), ModelCard.fromMetadata(meta).orElseThrow());
        assertTrue(ModelCard.fromMetadata(Map.of("format", "pt")).isEmpty());
    }

    @Test
    void labelsFallBackToTheIndexWhenTheCardNamesNoClasses() {
        ModelCard c = card();
        assertEquals("one \"1\"", c.label(1));
        assertEquals("7", c.label(7));
    }

    @Test
    void badCardsAreRefusedNamingTheProblem() {
        var e = assertThrows(IllegalArgumentException.class, () -> ModelCard.fromJson("{\"format\":\"linea.model-card.v9\"}"));
        assertEquals("model card format 'linea.model-card.v9', expected 'linea.model-card.v1' (written by a newer Linea?)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelCard.fromJson(card().toJson().replace("\"architecture\":\"fcnn\",", "")));
        assertEquals("model card has no 'architecture'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelCard.fromJson(card().toJson().replace("[1,28,28]", "[1,0,28]")));
        assertEquals("model card input_shape must hold positive whole numbers, got [1, 0, 28]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelCard.fromJson("[1]"));
        assertEquals("model card must be a JSON object", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelCard.of("cnn", Map.of(), new int[] {3, 8, 8},
                new ModelCard.Preprocessing(List.of(0.1f, 0.2f), List.of(1f, 1f), false), List.of()));
        assertEquals("preprocessing has 2 means, but input shape [3, 8, 8] has 3 channel(s): give one, or one per channel",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelCard.Preprocessing.normalize(0f, 0f, false));
        assertEquals("preprocessing mean [0.0] must be finite and std [0.0] finite and positive", e.getMessage());
    }

    @Test
    void configGettersNameTheModelAndKeyOfAWrongType() {
        ModelConfig c = new ModelConfig("mynet", Map.of("hidden", "many", "depth", 3));
        assertEquals(3, c.getInt("depth", 0));
        assertEquals(7, c.getInt("width", 7));
        var e = assertThrows(IllegalArgumentException.class, () -> c.getInt("hidden", 0));
        assertEquals("config 'hidden' of model 'mynet' must be a whole number (int), got \"many\"", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.requireOnly("depth"));
        assertEquals("model 'mynet' has no option hidden (its options: depth)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ModelConfig("mynet", Map.of("x", new Object())));
        assertTrue(e.getMessage().startsWith("config 'x' of model 'mynet' is a java.lang.Object"), e.getMessage());
    }
}
