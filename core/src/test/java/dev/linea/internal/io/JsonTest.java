package dev.linea.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void nonFiniteNumbersComeBackAsNumbersOnlyWhenReadAsWrittenValues() throws Exception {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("best", Double.POSITIVE_INFINITY);
        state.put("lows", List.of(Double.NEGATIVE_INFINITY, Double.NaN, 0.5));
        state.put("name", "Infinity and beyond");
        String text = Json.write(state);
        assertEquals("{\"best\":\"Infinity\",\"lows\":[\"-Infinity\",\"NaN\",0.5],\"name\":\"Infinity and beyond\"}", text);
        assertEquals(state, Json.parseWritten(text));
        assertEquals("Infinity", ((Map<?, ?>) Json.parse(text)).get("best"), "plain parse keeps strings strings");
        assertEquals(Map.of("Infinity", 1L), Json.parseWritten("{\"Infinity\":1}"), "keys stay strings");
    }
}
