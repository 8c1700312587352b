package dev.linea.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/ARCHITECTURE.md, checked on the sources: which Linea packages each package may use
 * (imports and fully qualified names alike), and that the modules on top (plot, examples, bench, cli,
 * distributed, spark) use only the exported API, plus the internals core exports to them by name.
 */
class LayeringTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.linea(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*");

    /** Package → the Linea packages its classes may use besides itself (prefix match on "dev.linea.X."). */
    private static final Map<String, List<String>> ALLOWED = new LinkedHashMap<>();

    static {
        List<String> tensor = List.of("dev.linea.Tensor", "dev.linea.Generator", "dev.linea.DType", "dev.linea.ValuesIndices");
        allow("dev.linea.backend", "dev.linea.backend.");
        allow("dev.linea.backend.vector", "dev.linea.backend.");
        allow("dev.linea.internal", "dev.linea.internal.", "dev.linea.Tensor", "dev.linea.DType", "dev.linea.autograd.Node");
        allow("dev.linea.compute", join(tensor, "dev.linea.backend.", "dev.linea.internal."));
        allow("dev.linea.autograd", join(tensor, "dev.linea.compute.", "dev.linea.internal.", "dev.linea.Linea"));
        // The root package names ops by the backend's op codes and sets its thread count; all else goes via compute.
        allow("dev.linea", join(tensor, "dev.linea.autograd.", "dev.linea.compute.", "dev.linea.internal.",
                "dev.linea.backend.BinaryOp", "dev.linea.backend.UnaryOp", "dev.linea.backend.Parallel"));
        allow("dev.linea.nn.functional", join(tensor, "dev.linea.autograd.", "dev.linea.compute.", "dev.linea.internal."));
        List<String> nn = join(tensor, "dev.linea.autograd.", "dev.linea.nn.", "dev.linea.internal.Pairs",
                "dev.linea.internal.PyRepr", "dev.linea.internal.Shape", "dev.linea.internal.Dropouts");
        allow("dev.linea.nn", nn);
        allow("dev.linea.nn.init", nn);
        allow("dev.linea.nn.utils", nn);
        // The models rebuild themselves from files: their cards (JSON in the safetensors metadata) and weights.
        allow("dev.linea.models", join(nn, "dev.linea.io.", "dev.linea.internal.io.Json", "dev.linea.Linea"));
        allow("dev.linea.optim", join(tensor, "dev.linea.autograd.", "dev.linea.optim.", "dev.linea.compute.OptimizerSteps"));
        allow("dev.linea.optim.lr", join(tensor, "dev.linea.optim."));
        allow("dev.linea.data", join(tensor, "dev.linea.autograd.", "dev.linea.data.", "dev.linea.compute.Dense",
                "dev.linea.internal.io."));
        allow("dev.linea.io", join(tensor, "dev.linea.autograd.", "dev.linea.io.", "dev.linea.nn.", "dev.linea.optim.",
                "dev.linea.compute.Dense", "dev.linea.internal.io."));
        allow("dev.linea.internal.io", "dev.linea.internal.io.");
        // Inference sits on top of the user-facing layers: models and their cards, data's image decoding, nn.
        allow("dev.linea.inference", join(tensor, "dev.linea.autograd.", "dev.linea.nn.", "dev.linea.models.",
                "dev.linea.data.", "dev.linea.io."));
        // ONNX: the codec stands alone; the importer builds modules from nn and F, like a user would.
        allow("dev.linea.onnx", join(tensor, "dev.linea.autograd.", "dev.linea.nn.", "dev.linea.io.",
                "dev.linea.onnx.", "dev.linea.internal.io.", "dev.linea.Linea",
                // the export records a forward pass through the trace seam
                "dev.linea.internal.Trace"));
        allow("dev.linea.metrics", tensor);
        // The training loop sits on top of the user-facing packages; it writes its metrics file atomically.
        allow("dev.linea.train", join(tensor, "dev.linea.autograd.", "dev.linea.nn.", "dev.linea.optim.",
                "dev.linea.data.", "dev.linea.io.", "dev.linea.models.", "dev.linea.metrics.", "dev.linea.internal.io."));
    }

    private static void allow(String pkg, String... prefixes) {
        ALLOWED.put(pkg, List.of(prefixes));
    }

    private static void allow(String pkg, List<String> prefixes) {
        ALLOWED.put(pkg, prefixes);
    }

    private static List<String> join(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    /**
     * Exported packages (module-info), as prefixes; then, per module on top, what core exports to it by name
     * and the other modules on top it depends on.
     */
    private static final List<String> PUBLIC = List.of("dev.linea.Tensor", "dev.linea.Generator", "dev.linea.Linea",
            "dev.linea.DType", "dev.linea.ValuesIndices",
            "dev.linea.autograd.", "dev.linea.nn.", "dev.linea.models.", "dev.linea.optim.", "dev.linea.data.",
            "dev.linea.io.", "dev.linea.inference.", "dev.linea.metrics.", "dev.linea.train.", "dev.linea.onnx.");
    private static final Map<String, List<String>> QUALIFIED = Map.of(
            "bench", List.of("dev.linea.backend."),
            "cli", List.of("dev.linea.internal.io.", "dev.linea.plot.", "dev.linea.examples.", "dev.linea.bench.",
                    "dev.linea.spark."),
            "plot", List.of("dev.linea.internal.io."),
            "examples", List.of("dev.linea.plot."),
            "distributed", List.of(),
            "spark", List.of("dev.linea.distributed."));

    @Test
    void eachCorePackageUsesOnlyTheLayersBelowIt() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (Path f : javaFiles(ROOT.resolve("core/src/main/java/dev"))) {
            String src = Files.readString(f);
            String pkg = packageOf(src);
            List<String> allowed = ALLOWED.get(pkg);
            assertTrue(allowed != null, f + ": package " + pkg + " has no rule in LayeringTest (add it, and to ARCHITECTURE.md)");
            files++;
            for (String ref : references(src)) {
                boolean own = ref.startsWith(pkg + ".") && Character.isUpperCase(ref.charAt(pkg.length() + 1));
                if (!own && allowed.stream().noneMatch(ref::startsWith)) {
                    violations.add(ROOT.relativize(f) + " (" + pkg + ") uses " + ref);
                }
            }
        }
        assertTrue(files > 100, "found only " + files + " core sources under " + ROOT);
        assertEquals(List.of(), violations, "layering rules of docs/ARCHITECTURE.md broken");
    }

    @Test
    void theModulesOnTopUseOnlyThePublicApi() throws IOException {
        List<String> violations = new ArrayList<>();
        for (var e : QUALIFIED.entrySet()) {
            Path dir = ROOT.resolve(e.getKey()).resolve("src");
            if (!Files.isDirectory(dir)) {
                continue;
            }
            String own = "dev.linea." + e.getKey() + ".";
            for (Path f : javaFiles(dir)) {
                for (String ref : references(Files.readString(f))) {
                    if (!ref.startsWith(own) && PUBLIC.stream().noneMatch(ref::startsWith)
                            && e.getValue().stream().noneMatch(ref::startsWith)) {
                        violations.add(ROOT.relativize(f) + " uses " + ref);
                    }
                }
            }
        }
        assertEquals(List.of(), violations, "modules on top must use only what core exports to them");
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java")
                    && !p.endsWith("package-info.java")).sorted().toList();
        }
    }

    private static String packageOf(String src) {
        Matcher m = Pattern.compile("(?m)^package ([\\w.]+);").matcher(src);
        return m.find() ? m.group(1) : "";
    }

    /** Every {@code dev.linea...Type} named in code (comments and strings removed). */
    private static List<String> references(String src) {
        String code = src.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "").replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
        List<String> refs = new ArrayList<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            refs.add(m.group());
        }
        return refs;
    }
}
