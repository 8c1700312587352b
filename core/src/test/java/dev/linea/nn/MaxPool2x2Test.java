package dev.linea.nn;

import dev.linea.Generator;
import dev.linea.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The 2×2 stride-2 fast path of max pooling against a plain loop: values, first-max ties, last NaN, gradient. */
class MaxPool2x2Test {

    @Test
    void fastPathMatchesAPlainLoopIncludingTiesAndNaN() {
        Generator g = new Generator(4);
        int n = 3, c = 2, h = 7, w = 6; // odd height: the last row is not covered by any window
        float[] v = new float[n * c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = g.nextInt(4); // few distinct values: many ties
        }
        v[5] = Float.NaN;
        Tensor x = Tensor.of(v, n, c, h, w).requiresGrad(true);
        Tensor y = new MaxPool2d(2).forward(x);
        Tensor gy = Tensor.rand(g, y.shape());
        y.backward(gy);

        int oh = h / 2, ow = w / 2;
        float[] want = new float[n * c * oh * ow];
        float[] wantGrad = new float[v.length];
        float[] gv = gy.toFloatArray();
        for (int pl = 0; pl < n * c; pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int at = -1;
                    float best = 0;
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            int pos = pl * h * w + (2 * i + a) * w + 2 * j + b;
                            float val = v[pos];
                            if (at < 0 || val > best || Float.isNaN(val)) { // the last NaN wins, as in PyTorch
                                best = val;
                                at = pos;
                            }
                        }
                    }
                    int q = pl * oh * ow + i * ow + j;
                    want[q] = best;
                    wantGrad[at] += gv[q];
                }
            }
        }
        assertArrayEquals(want, y.toFloatArray());
        assertArrayEquals(wantGrad, x.grad().toFloatArray());
    }
}
