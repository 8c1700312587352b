package dev.linea.kernels;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fast im2col/im2row/col2im against their element-by-element definitions, over many geometries (exact equality). */
class Im2colTest {

    @Test
    void fastPathsMatchReference() {
        Random rnd = new Random(7);
        int cases = 0;
        for (int c = 1; c <= 2; c++) {
            for (int k = 1; k <= 3; k++) {
                for (int s = 1; s <= 3; s++) {
                    for (int p = 0; p <= 2; p++) {
                        for (int d = 1; d <= 2; d++) {
                            int h = 3 + rnd.nextInt(6), w = 2 + rnd.nextInt(7);
                            int kw = 1 + rnd.nextInt(3), sw = 1 + rnd.nextInt(3), pw = rnd.nextInt(3), dw = 1 + rnd.nextInt(2);
                            int oh = Math.floorDiv(h + 2 * p - d * (k - 1) - 1, s) + 1;
                            int ow = Math.floorDiv(w + 2 * pw - dw * (kw - 1) - 1, sw) + 1;
                            if (oh < 1 || ow < 1) {
                                continue;
                            }
                            Im2col.Geometry g = new Im2col.Geometry(c, h, w, k, kw, s, sw, p, pw, d, dw, oh, ow);
                            float[] x = new float[3 + c * h * w];
                            for (int i = 0; i < x.length; i++) {
                                x[i] = rnd.nextFloat() - 0.5f;
                            }
                            float[] fast = new float[2 + g.rows() * g.cols()], ref = new float[fast.length];
                            java.util.Arrays.fill(fast, 9f); // must be overwritten
                            java.util.Arrays.fill(ref, 9f);
                            Im2col.im2col(g, x, 3, fast, 2);
                            Im2col.im2colReference(g, x, 3, ref, 2);
                            assertArrayEquals(ref, fast, 0f, g.toString());

                            // im2row is im2col's matrix transposed.
                            float[] rows = new float[g.rows() * g.cols()];
                            java.util.Arrays.fill(rows, 9f);
                            Im2col.im2row(g, x, 3, rows, 0);
                            for (int r = 0; r < g.rows(); r++) {
                                for (int q = 0; q < g.cols(); q++) {
                                    assertEquals(ref[2 + r * g.cols() + q], rows[q * g.rows() + r], g + " row " + r + " col " + q);
                                }
                            }

                            float[] col = new float[g.rows() * g.cols()];
                            for (int i = 0; i < col.length; i++) {
                                col[i] = rnd.nextFloat() - 0.5f;
                            }
                            float[] imgFast = new float[1 + c * h * w], imgRef = new float[imgFast.length];
                            Im2col.col2im(g, col, 0, imgFast, 1);
                            Im2col.col2imReference(g, col, 0, imgRef, 1);
                            assertArrayEquals(imgRef, imgFast, 1e-6f, g.toString());
                            cases++;
                        }
                    }
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(cases > 50, "too few geometries tested: " + cases);
    }
}
