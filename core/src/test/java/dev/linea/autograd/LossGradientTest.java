package dev.linea.autograd;

import static dev.linea.GradTesting.check;
import static dev.linea.GradTesting.randn;
import static dev.linea.GradTesting.uniform;

import dev.linea.Tensor;
import dev.linea.nn.BCELoss;
import dev.linea.nn.BCEWithLogitsLoss;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.MSELoss;
import dev.linea.nn.NLLLoss;
import dev.linea.nn.functional.Reduction;
import org.junit.jupiter.api.Test;

/** Gradients of every loss, for every reduction. */
class LossGradientTest {
    private static final Tensor CLASSES = Tensor.ofLongs(2, 0, 3, 1, 2);

    @Test
    void crossEntropyWithClassIndicesForEveryReduction() {
        Tensor logits = randn(1, 5, 4);
        for (Reduction r : Reduction.values()) {
            CrossEntropyLoss loss = new CrossEntropyLoss(r);
            check(in -> loss.forward(in.get(0), CLASSES), logits);
        }
    }

    @Test
    void crossEntropyWithLabelSmoothing() {
        Tensor logits = randn(2, 5, 4);
        for (Reduction r : Reduction.values()) {
            CrossEntropyLoss loss = new CrossEntropyLoss(r, 0.2f);
            check(in -> loss.forward(in.get(0), CLASSES), logits);
        }
    }

    @Test
    void crossEntropyWithSoftTargets() {
        Tensor logits = randn(3, 5, 4);
        Tensor soft = Tensor.rand(new dev.linea.Generator(4), 5, 4).add(0.1f);
        Tensor probs = soft.div(soft.sum(1, true));
        for (Reduction r : Reduction.values()) {
            check(in -> new CrossEntropyLoss(r).forward(in.get(0), probs), logits);
            check(in -> new CrossEntropyLoss(r, 0.1f).forward(in.get(0), probs), logits);
        }
    }

    @Test
    void crossEntropyOfASingleUnbatchedRow() {
        check(in -> new CrossEntropyLoss().forward(in.get(0), Tensor.ofLongs(2).reshape()), randn(5, 4));
    }

    @Test
    void crossEntropyOfAnUnbatchedRowAcceptsAOneElementClassIndexOrAFullDistribution() {
        Tensor x = Tensor.of(1f, 2f, 3f, 4f);
        float expected = new CrossEntropyLoss().forward(x, Tensor.ofLongs(2).reshape()).item();
        org.junit.jupiter.api.Assertions.assertEquals(expected, new CrossEntropyLoss().forward(x, Tensor.ofLongs(2)).item());
        org.junit.jupiter.api.Assertions.assertEquals(expected,
                new CrossEntropyLoss().forward(x, Tensor.of(0f, 0f, 1f, 0f)).item(), 1e-6);
        check(in -> new CrossEntropyLoss().forward(in.get(0), Tensor.of(0.1f, 0.2f, 0.3f, 0.4f)), randn(40, 4));
    }

    @Test
    void crossEntropyAfterALinearLayer() {
        Tensor x = dev.linea.GradTesting.constant(randn(6, 5, 3));
        check(in -> new CrossEntropyLoss().forward(dev.linea.nn.functional.F.linear(x, in.get(0), in.get(1)), CLASSES),
                randn(7, 4, 3), randn(8, 4));
    }

    @Test
    void nllLossOfLogSoftmaxForEveryReduction() {
        Tensor logits = randn(9, 5, 4);
        for (Reduction r : Reduction.values()) {
            NLLLoss loss = new NLLLoss(r);
            check(in -> loss.forward(in.get(0), CLASSES), logits);
            check(in -> loss.forward(in.get(0).logSoftmax(1), CLASSES), logits);
        }
    }

    @Test
    void mseLossForEveryReductionWithGradientToBothSides() {
        Tensor a = randn(10, 3, 4), b = randn(11, 3, 4);
        for (Reduction r : Reduction.values()) {
            check(in -> new MSELoss(r).forward(in.get(0), in.get(1)), a, b);
        }
    }

    @Test
    void bceLossForEveryReduction() {
        Tensor p = uniform(12, 0.1f, 0.9f, 3, 4);
        Tensor y = Tensor.rand(new dev.linea.Generator(13), 3, 4);
        for (Reduction r : Reduction.values()) {
            check(in -> new BCELoss(r).forward(in.get(0), y), p);
        }
        check(in -> new BCELoss().forward(in.get(0).sigmoid(), y), randn(14, 3, 4));
    }

    @Test
    void bceWithLogitsForEveryReductionWithAndWithoutPosWeight() {
        Tensor x = randn(15, 3, 4).mul(2f).detach().requiresGrad(true);
        Tensor y = Tensor.rand(new dev.linea.Generator(16), 3, 4);
        Tensor pw = Tensor.of(0.5f, 1f, 2f, 3f);
        for (Reduction r : Reduction.values()) {
            check(in -> new BCEWithLogitsLoss(r, null).forward(in.get(0), y), x);
            check(in -> new BCEWithLogitsLoss(r, pw).forward(in.get(0), y), x);
        }
        check(in -> new BCEWithLogitsLoss().forward(in.get(0), in.get(1)), x, uniform(17, 0f, 1f, 3, 4));
    }

    @Test
    void bceLossGradientIsFiniteForSaturatedProbabilities() {
        Tensor z = Tensor.of(20f, -120f, 0.5f).requiresGrad(true);
        Tensor loss = new BCELoss().forward(z.sigmoid(), Tensor.of(1f, 0f, 1f));
        loss.backward();
        for (float g : z.grad().toFloatArray()) {
            org.junit.jupiter.api.Assertions.assertTrue(Float.isFinite(g), "gradient " + z.grad());
        }
        org.junit.jupiter.api.Assertions.assertEquals(0f, z.grad().get(0));
        org.junit.jupiter.api.Assertions.assertEquals(0f, z.grad().get(1));
    }
}
