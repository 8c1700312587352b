package dev.linea.cli.train;

import dev.linea.models.CNN;
import dev.linea.models.FCNN;
import dev.linea.nn.Module;

import java.util.List;

/** The models the command line can train, by name: the library's {@link FCNN} and {@link CNN}. */
public final class Models {
    private Models() {}

    public static final List<String> NAMES = List.of("fcnn", "cnn");

    /** Builds model {@code name}; {@code dropout} is the drop probability after each hidden layer (0: none). */
    public static Module create(String name, float dropout) {
        return switch (name) {
            case "fcnn" -> new FCNN(dropout);
            case "cnn" -> new CNN(dropout);
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; available: " + String.join(", ", NAMES));
        };
    }

    /** The input shape of one example for {@code name}, e.g. (1, 28, 28). */
    public static int[] inputShape(String name) {
        return new int[] {1, 28, 28};
    }
}
