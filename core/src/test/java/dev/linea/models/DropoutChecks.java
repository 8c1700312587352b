package dev.linea.models;

import dev.linea.autograd.GradMode;
import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.nn.Module;

import java.util.Arrays;
import java.util.function.DoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The models' Dropout contract, shared by their tests. */
final class DropoutChecks {
    private DropoutChecks() {}

    /**
     * Builds the model without Dropout and with p = 0.5 from the same seed: in training mode their outputs
     * on {@code x} differ, in evaluation mode they are bitwise equal.
     */
    static void actsOnlyWhileTraining(DoubleFunction<Module> build, Tensor x) {
        Linea.manualSeed(4);
        Module plain = build.apply(0);
        Linea.manualSeed(4);
        Module dropped = build.apply(0.5);
        try (var g = GradMode.noGrad()) {
            assertFalse(Arrays.equals(plain.forward(x).toFloatArray(), dropped.forward(x).toFloatArray()),
                    "Dropout changed nothing while training");
            dropped.eval();
            assertArrayEquals(plain.forward(x).toFloatArray(), dropped.forward(x).toFloatArray());
        }
    }
}
