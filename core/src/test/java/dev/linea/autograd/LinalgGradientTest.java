package dev.linea.autograd;

import static dev.linea.GradTesting.check;
import static dev.linea.GradTesting.constant;
import static dev.linea.GradTesting.randn;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;
import org.junit.jupiter.api.Test;

/** Gradients of matmul in all its shapes and of the fused linear layer. */
class LinalgGradientTest {

    @Test
    void matmulOfMatrices() {
        check(in -> in.get(0).matmul(in.get(1)), randn(1, 3, 4), randn(2, 4, 2));
    }

    @Test
    void matmulOfTransposedViews() {
        check(in -> in.get(0).t().matmul(in.get(1).t()), randn(3, 4, 3), randn(4, 2, 4));
    }

    @Test
    void batchedMatmulWithBroadcastBatchDimensions() {
        check(in -> in.get(0).matmul(in.get(1)), randn(5, 2, 3, 4), randn(6, 2, 4, 2));
        check(in -> in.get(0).matmul(in.get(1)), randn(7, 2, 1, 3, 4), randn(8, 3, 4, 2));
        check(in -> in.get(0).matmul(in.get(1)), randn(9, 3, 4), randn(10, 2, 4, 5));
    }

    @Test
    void matmulWithOneDimensionalOperands() {
        check(in -> in.get(0).matmul(in.get(1)), randn(11, 4), randn(12, 4));
        check(in -> in.get(0).matmul(in.get(1)), randn(13, 3, 4), randn(14, 4));
        check(in -> in.get(0).matmul(in.get(1)), randn(15, 4), randn(16, 4, 2));
        check(in -> in.get(0).matmul(in.get(1)), randn(17, 2, 3, 4), randn(18, 4));
        check(in -> in.get(0).matmul(in.get(1)), randn(19, 4), randn(20, 2, 4, 3));
    }

    @Test
    void linearWithAndWithoutBias() {
        Tensor x = randn(21, 5, 3), w = randn(22, 4, 3), b = randn(23, 4);
        check(in -> F.linear(in.get(0), in.get(1), in.get(2)), x, w, b);
        check(in -> F.linear(in.get(0), in.get(1), null), x, w);
    }

    @Test
    void linearOnThreeDimensionalAndOneDimensionalInput() {
        Tensor w = randn(24, 4, 3), b = randn(25, 4);
        check(in -> F.linear(in.get(0), in.get(1), in.get(2)), randn(26, 2, 5, 3), w, b);
        check(in -> F.linear(in.get(0), in.get(1), in.get(2)), randn(27, 3), w, b);
        check(in -> F.linear(in.get(0).transpose(0, 1), in.get(1), in.get(2)), randn(28, 3, 5), w, b);
    }

    @Test
    void linearWithFrozenWeightGivesGradientOnlyToInputAndBias() {
        check(in -> F.linear(in.get(0), in.get(1), in.get(2)), randn(29, 5, 3), constant(randn(30, 4, 3)), randn(31, 4));
        check(in -> F.linear(in.get(0), in.get(1), in.get(2)), constant(randn(32, 5, 3)), randn(33, 4, 3), constant(randn(34, 4)));
    }

    @Test
    void twoLayerNetwork() {
        Tensor x = constant(randn(35, 6, 3));
        check(in -> F.linear(F.linear(x, in.get(0), in.get(1)).tanh(), in.get(2), null).logSoftmax(1),
                randn(36, 5, 3), randn(37, 5), randn(38, 2, 5));
    }
}
