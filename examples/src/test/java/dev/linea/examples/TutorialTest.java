package dev.linea.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class TutorialTest {

    @Test
    void tutorialPrintsTheModelInPyTorchFormatAndTheLoss() {
        String out = StdOut.capture(() -> Tutorial.main(new String[0]));
        assertTrue(out.startsWith("""
                FCNN(
                  (fc1): Linear(in_features=784, out_features=128, bias=True)
                  (fc2): Linear(in_features=128, out_features=64, bias=True)
                  (fc3): Linear(in_features=64, out_features=10, bias=True)
                )
                """), out);
        assertTrue(out.matches("(?s).*Epoch \\[1\\], Loss: \\d+\\.\\d{4}\\R"), out);
    }
}
