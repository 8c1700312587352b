package dev.linea.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.cli.CommandRun;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.linea.models.FCNN;
import dev.linea.models.ModelCard;
import dev.linea.models.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code linea serve}'s refusals: each one line, exit code 2, before anything listens. */
class ServeCommandTest {
    private static String[] run(String... args) {
        CommandRun r = CommandRun.linea(args);
        return new String[] {Integer.toString(r.code()), r.err().strip()};
    }

    @Test
    void aFolderThatIsNotARunIsOneLine(@TempDir Path dir) {
        String[] r = run("serve", dir.toString());
        assertEquals("2", r[0]);
        assertEquals("linea: " + dir + " is not a Linea run folder: " + dir.resolve("settings.properties") + " is missing",
                r[1]);
    }

    @Test
    void aBadPortOrABusyOneIsOneLine(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.safetensors");
        Models.save(model, new FCNN(), ModelCard.of("fcnn", Map.of(), new int[] {1, 28, 28},
                ModelCard.Preprocessing.normalize(0.5f, 0.5f, true), List.of()));
        String[] r = run("serve", model.toString(), "--port", "70000");
        assertEquals("2", r[0]);
        assertEquals("linea: --port must be between 0 and 65535, got 70000", r[1]);
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            r = run("serve", model.toString(), "--port", Integer.toString(busy.getLocalPort()));
            assertEquals("2", r[0]);
            assertTrue(r[1].startsWith("linea: cannot listen on 127.0.0.1:" + busy.getLocalPort() + " ("), r[1]);
            assertTrue(r[1].endsWith("): another server there? Choose another --port, or 0 for any free one"), r[1]);
        }
    }
}
