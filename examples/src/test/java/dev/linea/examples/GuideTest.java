package dev.linea.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.linea.Tensor;
import dev.linea.models.ModelCard;
import dev.linea.models.Models;
import dev.linea.onnx.Onnx;
import dev.linea.onnx.OnnxModule;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/GUIDE.md works as written: every Java snippet in it (each under a {@code <!-- guide: Name.java -->}
 * marker) compiles against Linea, the programs run in the guide's order and print what the guide says, and the
 * pom and module-info are the README's, which {@code scripts/adoption/check.sh} builds outside the repository.
 */
class GuideTest {
    /** The programs, in the guide's order: each reads what the ones before it wrote. */
    private static final List<String> RUN_ORDER = List.of("FirstModel", "PlainLoop", "WithTrainer", "Reload",
            "OwnModel", "Export");

    private static String guide;
    private static Map<String, String> snippets;
    private static Map<String, String> readme;

    @BeforeAll
    static void read() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("docs/GUIDE.md"))) {
            root = root.getParent();
            assertNotNull(root, "no docs/GUIDE.md above " + Path.of("").toAbsolutePath());
        }
        guide = Files.readString(root.resolve("docs/GUIDE.md"));
        snippets = marked(guide, "guide");
        readme = marked(Files.readString(root.resolve("README.md")), "adoption");
    }

    private static Map<String, String> marked(String markdown, String kind) {
        Matcher m = Pattern.compile("<!-- " + kind + ": (\\S+) -->\\n```\\w*\\n(.*?)\\n```\\n", Pattern.DOTALL)
                .matcher(markdown);
        Map<String, String> out = new LinkedHashMap<>();
        while (m.find()) {
            String name = m.group(1).substring(m.group(1).lastIndexOf('/') + 1);
            assertEquals(null, out.put(name, m.group(2)), "two snippets named " + name);
        }
        return out;
    }

    @Test
    void everyJavaSnippetIsMarkedForThisTest() {
        int fences = 0;
        for (String line : guide.split("\n", -1)) {
            fences += line.equals("```java") ? 1 : 0;
        }
        long marked = snippets.keySet().stream().filter(n -> n.endsWith(".java")).count();
        assertEquals(fences, marked, "```java blocks in docs/GUIDE.md without a <!-- guide: Name.java --> marker");
        assertTrue(marked >= 8, "snippets found: " + snippets.keySet());
    }

    @Test
    void pomAndModuleInfoAreTheReadmesThatCiBuilds() {
        assertEquals(readme.get("pom.xml"), snippets.get("pom.xml"), "docs/GUIDE.md's pom.xml vs the README's");
        assertEquals(readme.get("module-info.java"), snippets.get("module-info.java"),
                "docs/GUIDE.md's module-info.java vs the README's");
    }

    @Test
    void snippetsCompileAndRunAsTheGuideSays(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("src/com/example");
        Path classes = tmp.resolve("classes");
        Files.createDirectories(src);
        Files.createDirectories(classes);
        List<File> files = new ArrayList<>();
        for (Map.Entry<String, String> e : snippets.entrySet()) {
            String name = e.getKey();
            if (!name.endsWith(".java") || name.equals("module-info.java")) {
                continue;
            }
            assertTrue(e.getValue().startsWith("package com.example;"), name + " is not in package com.example");
            assertTrue(e.getValue().contains("public class " + name.replace(".java", " "))
                    || e.getValue().contains("public final class " + name.replace(".java", " ")),
                    name + " does not declare its public class");
            Path file = src.resolve(name);
            Files.writeString(file, e.getValue());
            files.add(file.toFile());
        }
        compile(files, classes);

        Path work = tmp.resolve("work");
        Map<String, String> out = new LinkedHashMap<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                GuideTest.class.getClassLoader())) {
            for (String program : RUN_ORDER) {
                var main = loader.loadClass("com.example." + program).getMethod("main", String[].class);
                out.put(program, StdOut.capture(() -> {
                    try {
                        main.invoke(null, (Object) new String[] {work.toString()});
                    } catch (InvocationTargetException e) {
                        throw new AssertionError(program + ".main failed: " + e.getCause(), e.getCause());
                    } catch (ReflectiveOperationException e) {
                        throw new AssertionError(e);
                    }
                }));
            }
        }

        assertTrue(out.get("FirstModel").contains("[4, 3]"), out.get("FirstModel"));
        assertTrue(out.get("FirstModel").contains("(fc1): Linear(in_features=2, out_features=16, bias=True)"),
                out.get("FirstModel"));
        assertTrue(last(out.get("PlainLoop"), "validation accuracy ") >= 0.95, out.get("PlainLoop"));
        assertTrue(last(out.get("WithTrainer"), "validation accuracy ") >= 0.95, out.get("WithTrainer"));
        assertTrue(out.get("WithTrainer").contains("precision"), out.get("WithTrainer"));
        // The guide says Trainer runs the plain loop's steps: its first epochs' losses are the same.
        List<String> plain = numbersAfter(out.get("PlainLoop"), ": loss ");
        List<String> trainer = numbersAfter(out.get("WithTrainer"), "train loss ");
        assertTrue(plain.size() == 5 && trainer.size() >= 5, plain + " vs " + trainer);
        assertEquals(plain, trainer.subList(0, 5), "the plain loop's epoch losses vs Trainer's");
        assertTrue(Files.readString(work.resolve("metrics.csv")).startsWith("epoch,train_loss"));

        ModelCard card = Models.readCard(work.resolve("model.safetensors"));
        assertEquals(List.of("blue", "green", "red"), card.classNames());
        String reload = out.get("Reload");
        assertTrue(reload.matches("(?s).*\\ngreen +\\d+\\.\\d%\\n.*"), "green is not first for (2.1, -0.2):\n" + reload);
        assertTrue(reload.contains("blue, red"), reload);
        assertTrue(out.get("OwnModel").contains("Net("), out.get("OwnModel"));

        // The export computes what the saved model computes.
        OnnxModule onnx = Onnx.load(work.resolve("model.onnx"));
        Tensor x = Tensor.of(new float[] {2.1f, -0.2f, -2f, 0f, 0f, 2.5f}, 3, 2);
        float[] expected = Models.load(work.resolve("model.safetensors")).forward(x).toFloatArray();
        float[] actual = onnx.forward(x).toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4f + 1e-4f * Math.abs(expected[i]), "logit " + i);
        }
    }

    private static void compile(List<File> files, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no Java compiler: run the tests on a JDK");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("--release", "25", "-Xlint:all,-try", "-classpath",
                    System.getProperty("java.class.path"), "-d", classes.toString());
            boolean ok = javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromFiles(files)).call();
            StringBuilder report = new StringBuilder();
            diagnostics.getDiagnostics().forEach(d -> report.append(d).append('\n'));
            if (!ok || !diagnostics.getDiagnostics().isEmpty()) {
                fail("docs/GUIDE.md's snippets do not compile cleanly:\n" + report);
            }
        }
    }

    /** The number after each {@code prefix} in {@code text}, as printed. */
    private static List<String> numbersAfter(String text, String prefix) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "([0-9.]+)").matcher(text);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The number after the last {@code prefix} in {@code text}. */
    private static double last(String text, String prefix) {
        int i = text.lastIndexOf(prefix);
        assertTrue(i >= 0, "no '" + prefix + "' in:\n" + text);
        Matcher m = Pattern.compile("[0-9.]+").matcher(text.substring(i + prefix.length()));
        assertTrue(m.find(), text);
        return Double.parseDouble(m.group());
    }
}
