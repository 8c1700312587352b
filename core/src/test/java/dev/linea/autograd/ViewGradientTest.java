package dev.linea.autograd;

import static dev.linea.GradTesting.check;
import static dev.linea.GradTesting.constant;
import static dev.linea.GradTesting.randn;

import dev.linea.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradients through views and copies: reshaping, transposing, slicing, expanding, concatenating. */
class ViewGradientTest {

    @Test
    void viewReshapeAndFlatten() {
        Tensor x = randn(1, 2, 3, 4);
        check(in -> in.get(0).view(6, 4).mul(in.get(0).view(6, 4)), x);
        check(in -> in.get(0).view(-1, 3).exp(), x);
        check(in -> in.get(0).transpose(0, 2).reshape(4, 6).tanh(), x);
        check(in -> in.get(0).flatten().sigmoid(), x);
        check(in -> in.get(0).flatten(1, 2).sigmoid(), x);
    }

    @Test
    void transposeAndPermute() {
        Tensor x = randn(2, 2, 3, 4);
        Tensor w = constant(randn(3, 4, 3, 2));
        check(in -> in.get(0).transpose(0, 2).mul(w), x);
        check(in -> in.get(0).permute(2, 1, 0).mul(w), x);
        check(in -> in.get(0).permute(1, 2, 0).sigmoid(), x);
        check(in -> constant(randn(4, 2, 4)).matmul(in.get(0).t()), randn(5, 3, 4));
    }

    @Test
    void squeezeAndUnsqueeze() {
        Tensor x = randn(6, 3, 1, 4);
        check(in -> in.get(0).squeeze().tanh(), x);
        check(in -> in.get(0).squeeze(1).tanh(), x);
        check(in -> in.get(0).unsqueeze(0).unsqueeze(-1).tanh(), x);
    }

    @Test
    void sliceWithStepSelectAndNarrow() {
        Tensor x = randn(7, 5, 6);
        check(in -> in.get(0).slice(1, 1, 6, 2).exp(), x);
        check(in -> in.get(0).slice(0, -4, -1).exp(), x);
        check(in -> in.get(0).select(0, 2).exp(), x);
        check(in -> in.get(0).select(1, -1).exp(), x);
        check(in -> in.get(0).narrow(1, 2, 3).exp(), x);
        check(in -> in.get(0).slice(0, 0, 5, 3).slice(1, 0, 6, 2).sum(), x);
    }

    @Test
    void expandSumsTheGradientOverRepeatedElements() {
        Tensor x = randn(8, 3, 1);
        check(in -> in.get(0).expand(2, 3, 4).tanh(), x);
        check(in -> in.get(0).expand(-1, 5).sigmoid(), x);
    }

    @Test
    void contiguousAndClone() {
        Tensor x = randn(9, 3, 4);
        check(in -> in.get(0).t().contiguous().exp(), x);
        check(in -> in.get(0).clone().mul(in.get(0)), x);
    }

    @Test
    void catAndStackAlongEachDimension() {
        Tensor a = randn(10, 2, 3), b = randn(11, 2, 1), c = randn(12, 4, 3);
        check(in -> Tensor.cat(List.of(in.get(0), in.get(1)), 1).tanh(), a, b);
        check(in -> Tensor.cat(List.of(in.get(0), in.get(1), in.get(0)), 0).tanh(), a, c);
        Tensor d = randn(13, 2, 3);
        for (int dim = -3; dim < 3; dim++) {
            int dd = dim;
            check(in -> Tensor.stack(List.of(in.get(0), in.get(1)), dd).tanh(), a, d);
        }
    }
}
