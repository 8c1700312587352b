package dev.linea.cli.train;

import dev.linea.Tensor;
import dev.linea.nn.F;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;

import java.util.List;

/** The models the command line can train, by name. */
public final class Models {
    private Models() {}

    public static final List<String> NAMES = List.of("fcnn");

    /** Builds model {@code name}; {@code dropout} is the drop probability after each hidden layer (0: none). */
    public static Module create(String name, float dropout) {
        return switch (name) {
            case "fcnn" -> new FCNN(dropout);
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; available: " + String.join(", ", NAMES));
        };
    }

    /** The input shape of one example for {@code name}, e.g. (1, 28, 28). */
    public static int[] inputShape(String name) {
        return new int[] {1, 28, 28};
    }

    /**
     * The tutorial's FCNN (784 → 128 → 64 → 10, ReLU), returning logits, with optional Dropout after each
     * hidden layer (the tutorial's cure for the parameter cost). Same parameter names and count (109,386)
     * as the tutorial's network, so checkpoints load into either.
     */
    static final class FCNN extends Module {
        final Linear fc1 = new Linear(784, 128);
        final Linear fc2 = new Linear(128, 64);
        final Linear fc3 = new Linear(64, 10);
        private final float dropout;

        FCNN(float dropout) {
            this.dropout = dropout;
        }

        @Override
        public Tensor forward(Tensor x) {
            x = x.view(-1, 784);
            x = F.dropout(F.relu(fc1.forward(x)), dropout, isTraining());
            x = F.dropout(F.relu(fc2.forward(x)), dropout, isTraining());
            return fc3.forward(x);
        }
    }
}
