package dev.linea.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Module;
import dev.linea.nn.Parameter;
import dev.linea.optim.Adam;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The models' NaN contract, shared by their tests (issue 16): a NaN in one weight reaches the loss and every
 * gradient, as in PyTorch, instead of being zeroed by ReLU and carried through training unseen.
 */
final class NaNWeightChecks {
    private NaNWeightChecks() {}

    /**
     * Builds the model, checks that its loss on {@code x} is finite, writes NaN into element 0 of
     * {@code weight}, and checks that the loss is now NaN, that the NaN weight's own gradient is NaN (ReLU's
     * backward passes the gradient at NaN), and that after an optimizer step the loss stays NaN.
     */
    static void reachesTheLoss(Supplier<Module> build, String weight, Tensor x, Tensor y) {
        Linea.manualSeed(3);
        Module model = build.get();
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        float clean = criterion.forward(model.forward(x), y).item();
        assertTrue(Float.isFinite(clean), "the clean model's loss is " + clean);

        Map<String, Tensor> state = new LinkedHashMap<>(model.stateDict());
        Tensor w = state.get(weight);
        float[] v = w.toFloatArray();
        v[0] = Float.NaN;
        state.put(weight, Tensor.of(v, w.shape()));
        model.loadStateDict(state);

        Tensor loss = criterion.forward(model.forward(x), y);
        assertTrue(Float.isNaN(loss.item()), "a NaN in " + weight + " gave the finite loss " + loss.item());
        loss.backward();
        Parameter poisoned = model.namedParameters().get(weight);
        float own = poisoned.grad().toFloatArray()[0];
        assertTrue(Float.isNaN(own), "the gradient of the NaN weight in " + weight + " is " + own);
        Adam optimizer = new Adam(model.parameters(), 0.001);
        optimizer.step();
        float after = criterion.forward(model.forward(x), y).item();
        assertTrue(Float.isNaN(after), "one step later the loss is " + after);
    }
}
