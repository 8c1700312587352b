package dev.linea.cli;

import dev.linea.examples.CharLstm;
import dev.linea.examples.DropoutLesson;
import dev.linea.examples.FcVsConv;
import dev.linea.examples.Gan;
import dev.linea.examples.Tutorial;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code linea example NAME [ARGS...]}: runs one of the example programs of the examples module. */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = "Run an example program. Examples: tutorial (the fully connected layer tutorial, in Java), "
                + "fc-vs-conv (the FCNN beside a CNN: parameters, accuracy, shifted images), "
                + "gan (a GAN from Linear layers that draws clothes), dropout (how Dropout narrows the overfitting gap), "
                + "char-lstm (a character-level LSTM on the GPL text Debian ships).")
final class ExampleCommand implements Runnable {

    static final Map<String, Consumer<String[]>> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("tutorial", Tutorial::main);
        EXAMPLES.put("gan", Gan::main);
        EXAMPLES.put("dropout", DropoutLesson::main);
        EXAMPLES.put("fc-vs-conv", FcVsConv::main);
        EXAMPLES.put("char-lstm", CharLstm::main);
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
