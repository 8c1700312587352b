package dev.linea.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TinyJsonTest {
    @Test
    void parsesAllValueKinds() {
        Object v = TinyJson.parse(" {\"a\": [0, 1, 0.5, -2e3, 1E-2], \"s\": \"x\\\"\\u0041\\n\", \"t\": true,"
                + " \"f\": false, \"n\": null, \"o\": {}} ", "test");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(0.0, 1.0, 0.5, -2000.0, 0.01), m.get("a"));
        assertEquals("x\"A\n", m.get("s"));
        assertEquals(true, m.get("t"));
        assertEquals(false, m.get("f"));
        assertNull(m.get("n"));
        assertEquals(Map.of(), m.get("o"));
    }

    @Test
    void errorsNameSourceAndOffset() {
        for (String bad : List.of("[1,", "{\"a\" 1}", "[01]", "[1] x", "\"abc", "[.5]", "nul")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TinyJson.parse(bad, "f.json"));
            assertTrue(e.getMessage().startsWith("f.json: invalid JSON at offset "), e.getMessage());
        }
    }
}
