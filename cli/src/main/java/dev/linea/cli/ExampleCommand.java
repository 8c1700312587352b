package dev.linea.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code linea example NAME [ARGS...]}: runs one of the example programs. */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = "Run an example program. Examples: tutorial (the fully connected layer tutorial, in Java), "
                + "fc-vs-conv (the FCNN beside a CNN: parameters, accuracy, shifted images), "
                + "gan (a GAN from Linear layers that draws clothes), dropout (how Dropout narrows the overfitting gap).")
final class ExampleCommand implements Runnable {

    static final Map<String, Consumer<String[]>> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("tutorial", dev.linea.examples.Tutorial::main);
        // These draw PNG charts, which live in the cli module, so their sources do too.
        EXAMPLES.put("gan", dev.linea.cli.examples.Gan::main);
        EXAMPLES.put("dropout", dev.linea.cli.examples.DropoutLesson::main);
        EXAMPLES.put("fc-vs-conv", dev.linea.cli.examples.FcVsConv::main);
    }

    @Parameters(index = "0", paramLabel = "NAME", description = "Which example: ${COMPLETION-CANDIDATES}",
            completionCandidates = Names.class)
    String name;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the example.")
    List<String> args = List.of();

    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return EXAMPLES.keySet().iterator();
        }
    }

    @Override
    public void run() {
        Consumer<String[]> main = EXAMPLES.get(name);
        if (main == null) {
            throw new IllegalArgumentException("unknown example '" + name + "'; available: " + String.join(", ", EXAMPLES.keySet()));
        }
        main.accept(args.toArray(new String[0]));
    }
}
