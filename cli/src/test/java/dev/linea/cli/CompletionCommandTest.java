package dev.linea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code linea completion} prints a bash script that completes commands and options of {@code ./linea}. */
class CompletionCommandTest {

    @TempDir
    Path tmp;

    @Test
    void bashScriptCompletesCommandsAndOptionsOfDotSlashLinea() throws Exception {
        Path script = tmp.resolve("linea-completion.bash");
        Files.writeString(script, printScript());
        assertEquals("train", complete(script, "./linea", "tr"));
        assertEquals("--epochs", complete(script, "./linea", "train", "--epo"));
        assertEquals("--data-dir", complete(script, "linea", "train", "--data-"));
        assertEquals("completion", complete(script, "./linea", "compl"));
    }

    private static String printScript() {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("completion");
        } finally {
            System.setOut(oldOut);
        }
        assertEquals(0, code);
        String script = out.toString(StandardCharsets.UTF_8);
        assertTrue(script.startsWith("#!/usr/bin/env bash"), script.lines().findFirst().orElse(""));
        return script;
    }

    /** What bash offers for the last word: sources the script and calls the function bound to words[0]. */
    private static String complete(Path script, String... words) throws IOException, InterruptedException {
        String line = String.join(" ", words);
        // compopt only works inside a real completion; outside one (here) it would fail, so it is a no-op.
        String bash = "source '" + script + "'\ncompopt() { :; }\n"
                + "fn=$(complete -p '" + words[0] + "' | sed -n 's/.*-F \\([^ ]*\\).*/\\1/p')\n"
                + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}\n"
                + "COMP_WORDS=(" + line + "); COMP_CWORD=" + (words.length - 1) + "\n"
                + "$fn; printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "-c", bash).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
