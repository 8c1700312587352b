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

    /**
     * The model a run's settings describe: for one's own data, sized to it (the FCNN's inputs are the table's
     * features or the images' pixels, its outputs the classes; the CNN takes 28×28 images).
     */
    static Module create(TrainSettings s) {
        if (s.own() == null) {
            return create(s.model(), s.dropout());
        }
        int classes = s.own().classNames().size();
        return switch (s.model()) {
            case "fcnn" -> new FCNN(s.own().features(), classes, s.dropout());
            case "cnn" -> {
                check(s);
                yield new CNN(classes, s.dropout());
            }
            default -> create(s.model(), s.dropout());
        };
    }

    /** Refuses data the model cannot take (the CNN takes 28×28 images), before anything is built or written. */
    static void check(TrainSettings s) {
        if (s.own() != null && s.model().equals("cnn") && (s.csv() || !"28x28".equals(s.own().imageSize()))) {
            throw new IllegalArgumentException("the cnn model takes 28x28 images; " + (s.csv()
                    ? "train a CSV table with --model fcnn" : "pass --image-size 28x28, or use --model fcnn"));
        }
    }

    /** The input shape of one example for {@code name}, e.g. (1, 28, 28). */
    public static int[] inputShape(String name) {
        return new int[] {1, 28, 28};
    }
}
