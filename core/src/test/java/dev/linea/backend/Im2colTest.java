package dev.linea.backend;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every implementation's im2col/col2im against their element-by-element definitions, over many geometries:
 * strides, padding, dilation, and rows both shorter and longer than a vector. Bitwise: the fast folds add
 * in the definition's order.
 */
class Im2colTest {

    static Stream<Arguments> kernels() {
        return BackendMatrixTest.implementations().stream().map(k -> Arguments.of(Named.of(k.name(), k)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void unfoldAndFoldMatchTheDefinitions(Backend k) {
        Random rnd = new Random(7);
        int cases = 0;
        for (int c = 1; c <= 2; c++) {
            for (int kh = 1; kh <= 3; kh++) {
                for (int s = 1; s <= 3; s++) {
                    for (int p = 0; p <= 2; p++) {
                        for (int d = 1; d <= 2; d++) {
                            for (boolean wide : new boolean[] {false, true}) {
                                int h = 3 + rnd.nextInt(6), w = wide ? 14 + rnd.nextInt(30) : 2 + rnd.nextInt(7);
                                int kw = 1 + rnd.nextInt(3), sw = wide ? 1 : 1 + rnd.nextInt(3), pw = rnd.nextInt(3);
                                int dw = 1 + rnd.nextInt(2);
                                int oh = Math.floorDiv(h + 2 * p - d * (kh - 1) - 1, s) + 1;
                                int ow = Math.floorDiv(w + 2 * pw - dw * (kw - 1) - 1, sw) + 1;
                                if (oh < 1 || ow < 1) {
                                    continue;
                                }
                                Im2col.Geometry g = new Im2col.Geometry(c, h, w, kh, kw, s, sw, p, pw, d, dw, oh, ow);
                                float[] x = new float[3 + c * h * w];
                                for (int i = 0; i < x.length; i++) {
                                    x[i] = rnd.nextFloat() - 0.5f;
                                }
                                float[] fast = new float[2 + g.rows() * g.cols()], ref = new float[fast.length];
                                Arrays.fill(fast, 9f); // must be overwritten
                                Arrays.fill(ref, 9f);
                                k.im2col(g, x, 3, fast, 2);
                                Im2col.im2colReference(g, x, 3, ref, 2);
                                assertArrayEquals(ref, fast, k.name() + " " + g);

                                float[] col = new float[g.rows() * g.cols()];
                                for (int i = 0; i < col.length; i++) {
                                    col[i] = rnd.nextFloat() - 0.5f;
                                }
                                // Folding adds into what the image holds, −0 included.
                                float[] imgRef = new float[1 + c * h * w];
                                for (int i = 0; i < imgRef.length; i++) {
                                    imgRef[i] = i % 5 == 0 ? -0f : rnd.nextFloat() - 0.5f;
                                }
                                float[] imgFast = imgRef.clone();
                                k.col2im(g, col, 0, imgFast, 1);
                                Im2col.col2imReference(g, col, 0, imgRef, 1);
                                assertArrayEquals(imgRef, imgFast, k.name() + " " + g);
                                cases++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(cases > 100, "too few geometries tested: " + cases);
    }
}
