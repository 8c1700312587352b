package dev.linea.cli.train;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;
import dev.linea.nn.Conv2d;
import dev.linea.nn.Linear;
import dev.linea.nn.MaxPool2d;
import dev.linea.nn.Module;

import java.util.List;

/** The models the command line can train, by name. */
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

    /**
     * The convolutional network of the FC-vs-conv lesson: Conv(1→32, 3×3) ReLU MaxPool2 → Conv(32→64, 3×3)
     * ReLU MaxPool2 → Flatten (64·5·5 = 1600) → Linear(1600, 128) ReLU → Linear(128, 10). The fully
     * connected layers at the end fuse the features the convolutions found; 225,034 parameters.
     */
    static final class CNN extends Module {
        final Conv2d conv1 = new Conv2d(1, 32, 3);
        final Conv2d conv2 = new Conv2d(32, 64, 3);
        final MaxPool2d pool = new MaxPool2d(2);
        final Linear fc1 = new Linear(1600, 128);
        final Linear fc2 = new Linear(128, 10);
        private final float dropout;

        CNN(float dropout) {
            this.dropout = dropout;
        }

        @Override
        public Tensor forward(Tensor x) {
            x = pool.forward(F.relu(conv1.forward(x)));   // (N, 32, 13, 13)
            x = pool.forward(F.relu(conv2.forward(x)));   // (N, 64, 5, 5)
            x = x.flatten(1, -1);                         // (N, 1600)
            x = F.dropout(F.relu(fc1.forward(x)), dropout, isTraining());
            return fc2.forward(x);
        }
    }
}
