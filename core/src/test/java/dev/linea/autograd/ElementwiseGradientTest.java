package dev.linea.autograd;

import static dev.linea.GradTesting.awayFrom;
import static dev.linea.GradTesting.check;
import static dev.linea.GradTesting.constant;
import static dev.linea.GradTesting.randn;
import static dev.linea.GradTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Tensor;
import org.junit.jupiter.api.Test;

/** Gradients of the elementwise operations, including broadcasting, checked against finite differences. */
class ElementwiseGradientTest {

    @Test
    void addSubMulDivOfSameShapeTensors() {
        Tensor a = randn(1, 3, 4), b = uniform(2, 0.5f, 2f, 3, 4);
        check(in -> in.get(0).add(in.get(1)), a, b);
        check(in -> in.get(0).sub(in.get(1)), a, b);
        check(in -> in.get(0).mul(in.get(1)), a, b);
        check(in -> in.get(0).div(in.get(1)), a, b);
    }

    @Test
    void scalarOperandsAndRsub() {
        Tensor a = uniform(3, 0.5f, 2f, 2, 3);
        check(in -> in.get(0).add(1.5f), a);
        check(in -> in.get(0).sub(0.7f), a);
        check(in -> in.get(0).mul(-2.5f), a);
        check(in -> in.get(0).div(3f), a);
        check(in -> in.get(0).rsub(2f), a);
        check(in -> in.get(0).neg(), a);
    }

    @Test
    void binaryOpsBroadcastThreeDimsAgainstTwo() {
        Tensor a = randn(4, 3, 1, 4), b = uniform(5, 0.5f, 2f, 2, 1);
        check(in -> in.get(0).add(in.get(1)), a, b);
        check(in -> in.get(0).sub(in.get(1)), a, b);
        check(in -> in.get(0).mul(in.get(1)), a, b);
        check(in -> in.get(0).div(in.get(1)), a, b);
        check(in -> in.get(1).div(in.get(0).mul(in.get(0)).add(0.5f)), a, b);
    }

    @Test
    void scalarTensorBroadcastsAgainstMatrix() {
        Tensor s = uniform(6, 0.5f, 1.5f), m = randn(7, 2, 3);
        check(in -> in.get(0).mul(in.get(1)), s, m);
        check(in -> in.get(1).div(in.get(0)), s, m);
        check(in -> in.get(0).sub(in.get(1)), s, m);
        check(in -> in.get(1).add(in.get(0)), s, m);
    }

    @Test
    void rowAndColumnVectorsBroadcastToMatrix() {
        Tensor row = randn(8, 1, 4), col = randn(9, 3, 1);
        check(in -> in.get(0).mul(in.get(1)), row, col);
        check(in -> in.get(0).add(in.get(1)).mul(in.get(0)), row, col);
    }

    @Test
    void unaryMathFunctions() {
        Tensor x = randn(10, 2, 3);
        Tensor pos = uniform(11, 0.3f, 3f, 2, 3);
        check(in -> in.get(0).exp(), x);
        check(in -> in.get(0).log(), pos);
        check(in -> in.get(0).sqrt(), pos);
        check(in -> in.get(0).pow(2f), x);
        check(in -> in.get(0).pow(3f), x);
        check(in -> in.get(0).pow(-1.5f), pos);
        check(in -> in.get(0).pow(0.5f), pos);
        check(in -> in.get(0).abs(), awayFrom(12, 0f, 0.1f, 2, 3));
    }

    @Test
    void powWithTensorExponentDifferentiatesBaseAndExponent() {
        Tensor base = uniform(13, 0.5f, 2f, 2, 3), exp = uniform(14, -1f, 2f, 2, 3);
        check(in -> in.get(0).pow(in.get(1)), base, exp);
        Tensor e1 = uniform(15, 0.5f, 2.5f, 3);
        check(in -> in.get(0).pow(in.get(1)), base, e1);
    }

    @Test
    void clampAwayFromItsBounds() {
        Tensor x = awayFrom(16, -0.5f, 0.1f, 3, 4);
        float[] v = x.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (Math.abs(v[i] - 0.5f) < 0.1f) {
                v[i] = 0.65f;
            }
        }
        Tensor y = Tensor.wrap(v, 3, 4).requiresGrad(true);
        check(in -> in.get(0).clamp(-0.5f, 0.5f), y);
        check(in -> in.get(0).clampMin(-0.5f), y);
        check(in -> in.get(0).clampMax(0.5f), y);
    }

    @Test
    void maximumAndMinimumWithBroadcasting() {
        Tensor a = randn(17, 3, 4);
        Tensor b = Tensor.wrap(a.toFloatArray(), 3, 4).add(Tensor.of(0.5f, -0.5f, 0.3f, -0.3f)).detach().requiresGrad(true);
        check(in -> in.get(0).maximum(in.get(1)), a, b);
        check(in -> in.get(0).minimum(in.get(1)), a, b);
        Tensor row = Tensor.of(new float[] {-5f, 5f, -5f, 5f}, 1, 4).requiresGrad(true);
        check(in -> in.get(0).maximum(in.get(1)), a, row);
        check(in -> in.get(1).minimum(in.get(0)), a, row);
    }

    @Test
    void maximumSplitsTheGradientEvenlyAtTies() {
        Tensor a = Tensor.of(1f, 2f).requiresGrad(true), b = Tensor.of(1f, 3f).requiresGrad(true);
        a.maximum(b).sum().backward();
        assertArrayEquals(new float[] {0.5f, 0f}, a.grad().toFloatArray());
        assertArrayEquals(new float[] {0.5f, 1f}, b.grad().toFloatArray());
    }

    @Test
    void activations() {
        Tensor x = awayFrom(18, 0f, 0.1f, 3, 5);
        check(in -> in.get(0).relu(), x);
        check(in -> in.get(0).leakyRelu(0.01f), x);
        check(in -> in.get(0).leakyRelu(0.3f), x);
        check(in -> in.get(0).sigmoid(), x);
        check(in -> in.get(0).tanh(), x);
        check(in -> in.get(0).gelu(), x);
        check(in -> in.get(0).erf(), x);
    }

    @Test
    void erfMatchesTorchErfToAFewUlpsAlsoNearZero() {
        // torch.erf (PyTorch 1.13) of these inputs: relative precision matters near 0, where ONNX's tolerance is absolute 1e-7
        float[] x = {-3f, -1f, -0.3f, -1e-4f, 0f, 2e-6f, 0.5f, 1.2f, 4f};
        float[] torch = {-0.9999778866767883f, -0.8427007794380188f, -0.3286267817020416f, -0.00011283791536698118f, 0f,
                2.2567583073396236e-06f, 0.5204998850822449f, 0.9103139638900757f, 1f};
        float[] got = Tensor.of(x).erf().toFloatArray();
        for (int i = 0; i < x.length; i++) {
            assertTrue(Math.abs(got[i] - torch[i]) <= 3 * Math.ulp(torch[i]) + 1e-7 * (Math.abs(x[i]) >= 0.5 ? 1 : 0),
                    "erf(" + x[i] + ") = " + got[i] + ", torch " + torch[i]);
        }
    }

    @Test
    void softmaxAndLogSoftmaxAlongEveryDimension() {
        Tensor x = randn(19, 2, 3, 4);
        for (int d = -3; d < 3; d++) {
            int dim = d;
            check(in -> in.get(0).softmax(dim), x);
            check(in -> in.get(0).logSoftmax(dim), x);
        }
        Tensor v = randn(20, 5);
        check(in -> in.get(0).softmax(0), v);
        check(in -> in.get(0).logSoftmax(-1), v);
    }

    @Test
    void whereRoutesGradientToTheChosenOperand() {
        Tensor a = randn(21, 3, 4), b = randn(22, 1, 4);
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0}, 3, 4).bool();
        check(in -> in.get(0).where(mask, in.get(1)), a, b);
    }

    @Test
    void whereDoesNotLeakInfinitiesFromTheUnchosenOperand() {
        Tensor a = Tensor.of(Float.NEGATIVE_INFINITY, 1f, Float.POSITIVE_INFINITY);
        Tensor b = Tensor.of(0f, 0f, 0f);
        Tensor mask = Tensor.ofBools(false, true, false);
        assertArrayEquals(new float[] {0f, 1f, 0f}, a.where(mask, b).toFloatArray());
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, 0f, Float.POSITIVE_INFINITY},
                b.where(mask, a).toFloatArray());
    }

    @Test
    void dropoutInEvalModeIsTheIdentityForGradients() {
        Tensor x = randn(23, 2, 3);
        check(in -> dev.linea.nn.functional.F.dropout(in.get(0), 0.5f, false).mul(2f), x);
        dev.linea.nn.Dropout d = new dev.linea.nn.Dropout(0.3f);
        d.eval();
        check(in -> d.forward(in.get(0)), x);
    }

    @Test
    void inputsNotRequiringGradGetNoGradient() {
        Tensor a = randn(24, 2, 2), c = constant(randn(25, 2, 2));
        check(in -> in.get(0).mul(in.get(1)).add(in.get(1)), a, c);
    }
}
