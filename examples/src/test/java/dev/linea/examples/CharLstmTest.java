package dev.linea.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The character-level LSTM example in a short run on a small text, so it cannot rot, and its option errors. */
class CharLstmTest {
    @Test
    void aShortRunReportsFiniteLossesAndWritesItsChart(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "the quick brown fox jumps over the lazy dog. ".repeat(40));
        String out = StdOut.capture(() -> CharLstm.main(new String[] {"--text", text.toString(), "--steps", "2",
                "--out", dir.toString()}));
        Matcher m = Pattern.compile("(?m)^\\s+2\\s+(\\S+)\\s+(\\S+) \\((\\S+)\\)$").matcher(out);
        assertTrue(m.find(), out);
        double train = Double.parseDouble(m.group(1)), held = Double.parseDouble(m.group(2));
        // 28 distinct characters: an untrained model is near ln 28 = 3.33 nats per character.
        assertTrue(train > 2 && train < 4.5 && held > 2 && held < 4.5, out);
        assertTrue(out.contains("sample: the quic"), out);
        assertTrue(Files.size(dir.resolve("char-lstm.png")) > 1000);
    }

    @Test
    void aMissingTextOrAnUnknownOptionIsOneClearError() {
        var missing = assertThrows(IllegalArgumentException.class,
                () -> CharLstm.main(new String[] {"--text", "/nonexistent/file.txt"}));
        assertTrue(missing.getMessage().startsWith("/nonexistent/file.txt is not there"), missing.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> CharLstm.main(new String[] {"--epochs", "3"}));
        assertEquals("unknown option --epochs (options: --text FILE, --steps N, --seed N, --out DIR)", unknown.getMessage());
    }
}
