package dev.linea.examples;

import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.optim.Adam;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TutorialTest {

    @Test
    void tutorialPrintsTheModelInPyTorchFormatAndTheLoss() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Tutorial.main(new String[0]);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("""
                FCNN(
                  (fc1): Linear(in_features=784, out_features=128, bias=True)
                  (fc2): Linear(in_features=128, out_features=64, bias=True)
                  (fc3): Linear(in_features=64, out_features=10, bias=True)
                )
                """), out);
        assertTrue(out.matches("(?s).*Epoch \\[1\\], Loss: \\d+\\.\\d{4}\\R"), out);
    }

    @Test
    void fcnnHasTheTutorialsParameterCount() {
        assertEquals(109_386, new Tutorial.FCNN().parameterCount());
    }

    /**
     * A fixed, learnable problem: ten random prototype "images", samples are prototypes plus noise. The
     * network must drive the loss far below its starting value (ln 10 ≈ 2.30) and classify held-out samples.
     */
    @Test
    void fcnnLearnsASyntheticClassificationProblem() {
        Linea.manualSeed(7);
        Tensor prototypes = Tensor.randn(10, 784);
        Tutorial.FCNN model = new Tutorial.FCNN();
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Adam optimizer = new Adam(model.parameters(), 0.001);
        float first = Float.NaN, last = Float.NaN;
        for (int step = 0; step < 60; step++) {
            Tensor y = Tensor.randint(0, 10, 64);
            Tensor x = batch(prototypes, y);
            Tensor loss = criterion.forward(model.forward(x), y);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            if (step == 0) {
                first = loss.item();
            }
            last = loss.item();
        }
        assertTrue(first > 2.0f, "initial loss " + first);
        assertTrue(last < 0.1f * first, "loss fell from " + first + " only to " + last);
        Tensor y = Tensor.randint(0, 10, 200);
        float accuracy = model.forward(batch(prototypes, y)).argmax(1, false).eq(y).mean().item();
        assertTrue(accuracy > 0.95f, "held-out accuracy " + accuracy);
    }

    /** Samples of the given classes: prototype rows plus unit Gaussian noise, shaped (N, 1, 28, 28). */
    private static Tensor batch(Tensor prototypes, Tensor labels) {
        java.util.List<Tensor> rows = new java.util.ArrayList<>();
        for (float label : labels.toFloatArray()) {
            rows.add(prototypes.select(0, (int) label));
        }
        int n = rows.size();
        return Tensor.stack(rows, 0).add(Tensor.randn(n, 784)).view(n, 1, 28, 28);
    }
}
