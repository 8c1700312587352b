package dev.linea.backend;

import java.util.Arrays;

/**
 * The unfold/fold pair behind convolution as a matrix product, for one image of {@code C} channels.
 *
 * <p>{@link #im2col} unfolds an image {@code (C, H, W)} into a column matrix {@code (C·kh·kw, OH·OW)}:
 * row {@code (c·kh + i)·kw + j}, column {@code oh·OW + ow} holds
 * {@code x[c, oh·sh − ph + i·dh, ow·sw − pw + j·dw]}, or 0 where that falls in the padding. A convolution
 * of weight {@code (O, C·kh·kw)} is then {@code W · col}. {@link #col2im} is its adjoint: it scatter-adds a
 * column matrix back into an image (the input gradient of a convolution, the forward of a transposed one),
 * in a fixed order so the result is reproducible.
 *
 * <p>{@code OH} and {@code OW} are passed in; for a convolution they are
 * {@code floor((H + 2p − d(k−1) − 1)/s) + 1}. The {@code *Reference} methods are the plain definitions the
 * fast paths are tested against.
 */
public final class Im2col {
    private Im2col() {}

    /** The geometry of one unfold: image size, kernel, stride, padding, dilation, output grid. */
    public record Geometry(int channels, int height, int width, int kh, int kw,
                           int sh, int sw, int ph, int pw, int dh, int dw, int outH, int outW) {
        /** Rows of the column matrix: {@code C·kh·kw}. */
        public int rows() {
            return channels * kh * kw;
        }

        /** Columns of the column matrix: {@code OH·OW}. */
        public int cols() {
            return outH * outW;
        }

        /** The first output column whose input column {@code iw0 + ow·sw} lies inside the image. */
        public int firstInside(int iw0) {
            return iw0 >= 0 ? 0 : Math.min(outW, (-iw0 + sw - 1) / sw);
        }

        /** One past the last output column whose input column lies inside the image (never below the first). */
        public int endInside(int iw0) {
            int hi = width - iw0 <= 0 ? 0 : Math.min(outW, (width - iw0 + sw - 1) / sw);
            return Math.max(hi, firstInside(iw0));
        }
    }

    /** Unfolds {@code x[xOff ..]} (C, H, W) into {@code col[colOff ..]} (C·kh·kw, OH·OW), overwriting it. */
    public static void im2col(Geometry g, float[] x, int xOff, float[] col, int colOff) {
        final int H = g.height(), W = g.width(), OH = g.outH(), OW = g.outW(), L = OH * OW;
        int row = 0;
        for (int c = 0; c < g.channels(); c++) {
            int plane = xOff + c * H * W;
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int dst = colOff + row * L;
                    int iw0 = j * g.dw() - g.pw();
                    // Output columns whose input column lies inside the image: [owLo, owHi).
                    int owLo = g.firstInside(iw0), owHi = g.endInside(iw0);
                    for (int oh = 0; oh < OH; oh++, dst += OW) {
                        int ih = oh * g.sh() - g.ph() + i * g.dh();
                        if (ih < 0 || ih >= H) {
                            Arrays.fill(col, dst, dst + OW, 0f);
                            continue;
                        }
                        int src = plane + ih * W + iw0;
                        // Rows are short (tens of floats) and mostly wholly inside: the fills are skipped
                        // when empty, and the copy is a plain loop (cheaper than arraycopy at this length).
                        if (owLo > 0) {
                            Arrays.fill(col, dst, dst + owLo, 0f);
                        }
                        int sw = g.sw();
                        for (int ow = owLo; ow < owHi; ow++) {
                            col[dst + ow] = x[src + ow * sw];
                        }
                        if (owHi < OW) {
                            Arrays.fill(col, dst + owHi, dst + OW, 0f);
                        }
                    }
                }
            }
        }
    }

    /**
     * Adds the column matrix {@code col[colOff ..]} (C·kh·kw, OH·OW) into the image {@code x[xOff ..]}
     * (C, H, W): the adjoint of {@link #im2col}. Entries that fall in the padding are dropped. The caller
     * zeroes {@code x} first when it wants the fold alone.
     */
    public static void col2im(Geometry g, float[] col, int colOff, float[] x, int xOff) {
        final int H = g.height(), W = g.width(), OH = g.outH(), OW = g.outW(), L = OH * OW;
        int row = 0;
        for (int c = 0; c < g.channels(); c++) {
            int plane = xOff + c * H * W;
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int srcRow = colOff + row * L;
                    int iw0 = j * g.dw() - g.pw();
                    int owLo = g.firstInside(iw0), owHi = g.endInside(iw0);
                    for (int oh = 0; oh < OH; oh++) {
                        int ih = oh * g.sh() - g.ph() + i * g.dh();
                        if (ih < 0 || ih >= H) {
                            continue;
                        }
                        int dst = plane + ih * W + iw0;
                        int src = srcRow + oh * OW;
                        int sw = g.sw();
                        for (int ow = owLo; ow < owHi; ow++) {
                            x[dst + ow * sw] += col[src + ow];
                        }
                    }
                }
            }
        }
    }

    /** The definition of {@link #im2col}, element by element. */
    public static void im2colReference(Geometry g, float[] x, int xOff, float[] col, int colOff) {
        int L = g.cols();
        for (int c = 0; c < g.channels(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int row = (c * g.kh() + i) * g.kw() + j;
                    for (int oh = 0; oh < g.outH(); oh++) {
                        for (int ow = 0; ow < g.outW(); ow++) {
                            int ih = oh * g.sh() - g.ph() + i * g.dh();
                            int iw = ow * g.sw() - g.pw() + j * g.dw();
                            boolean inside = ih >= 0 && ih < g.height() && iw >= 0 && iw < g.width();
                            col[colOff + row * L + oh * g.outW() + ow] =
                                    inside ? x[xOff + (c * g.height() + ih) * g.width() + iw] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** The definition of {@link #col2im}, element by element. */
    public static void col2imReference(Geometry g, float[] col, int colOff, float[] x, int xOff) {
        int L = g.cols();
        for (int c = 0; c < g.channels(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int row = (c * g.kh() + i) * g.kw() + j;
                    for (int oh = 0; oh < g.outH(); oh++) {
                        for (int ow = 0; ow < g.outW(); ow++) {
                            int ih = oh * g.sh() - g.ph() + i * g.dh();
                            int iw = ow * g.sw() - g.pw() + j * g.dw();
                            if (ih >= 0 && ih < g.height() && iw >= 0 && iw < g.width()) {
                                x[xOff + (c * g.height() + ih) * g.width() + iw] += col[colOff + row * L + oh * g.outW() + ow];
                            }
                        }
                    }
                }
            }
        }
    }
}
