package dev.linea.autograd;

import static dev.linea.GradTesting.check;
import static dev.linea.GradTesting.distinct;
import static dev.linea.GradTesting.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.linea.Tensor;
import org.junit.jupiter.api.Test;

/** Gradients of reductions: sum, mean, var, max, min, over all elements, one dimension, several dimensions. */
class ReductionGradientTest {

    @Test
    void sumAndMeanOfAllElements() {
        Tensor x = randn(1, 2, 3, 4);
        check(in -> in.get(0).sum(), x);
        check(in -> in.get(0).mean(), x);
    }

    @Test
    void sumAndMeanOverOneDimensionWithAndWithoutKeepdim() {
        Tensor x = randn(2, 2, 3, 4);
        for (int d = -3; d < 3; d++) {
            for (boolean keep : new boolean[] {false, true}) {
                int dim = d;
                check(in -> in.get(0).sum(dim, keep), x);
                check(in -> in.get(0).mean(dim, keep), x);
            }
        }
    }

    @Test
    void sumAndMeanOverSeveralDimensions() {
        Tensor x = randn(3, 2, 3, 4);
        for (boolean keep : new boolean[] {false, true}) {
            check(in -> in.get(0).sum(new int[] {0, 2}, keep), x);
            check(in -> in.get(0).mean(new int[] {-1, 1}, keep), x);
            check(in -> in.get(0).sum(new int[] {0, 1, 2}, keep), x);
        }
    }

    @Test
    void varianceBiasedAndUnbiased() {
        Tensor x = randn(4, 3, 5);
        for (boolean unbiased : new boolean[] {false, true}) {
            for (boolean keep : new boolean[] {false, true}) {
                check(in -> in.get(0).var(1, unbiased, keep), x);
                check(in -> in.get(0).var(0, unbiased, keep), x);
            }
        }
    }

    @Test
    void maxAndMinOfAllElements() {
        Tensor x = distinct(5, 0.1f, 3, 4);
        check(in -> in.get(0).max(), x);
        check(in -> in.get(0).min(), x);
    }

    @Test
    void maxAndMinAlongADimension() {
        Tensor x = distinct(6, 0.1f, 2, 3, 4);
        for (int d = 0; d < 3; d++) {
            for (boolean keep : new boolean[] {false, true}) {
                int dim = d;
                check(in -> in.get(0).max(dim, keep), x);
                check(in -> in.get(0).min(dim, keep), x);
            }
        }
    }

    @Test
    void maxGivesTheGradientToTheFirstMaximalPosition() {
        Tensor x = Tensor.of(new float[] {1, 3, 3, 2}, 1, 4).requiresGrad(true);
        x.max(1, false).sum().backward();
        assertArrayEquals(new float[] {0, 1, 0, 0}, x.grad().toFloatArray());
    }
}
