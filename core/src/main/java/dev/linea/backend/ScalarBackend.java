package dev.linea.backend;

/**
 * The reference kernels: plain loops, written for clarity. Every fast kernel is tested against these.
 * Reductions sum in fixed blocks so that the result does not depend on how work is split.
 */
public class ScalarBackend implements Backend {

    /** Block length of the fixed-order reductions; the fast kernels use the same blocking. */
    public static final int SUM_BLOCK = 1024;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    acc += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + acc : acc;
            }
        }
    }

    /** The reference layout: {@code op(B)} row-major, k×n. */
    @Override
    public PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        float[] d = new float[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                d[p * n + j] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            }
        }
        return new PackedMatrix(this, k, n, d);
    }

    /** {@link #sgemm(boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int, boolean)} on the copy: the same bits. */
    @Override
    public void sgemm(int m, float[] a, int aOff, int lda, PackedMatrix b, float[] c, int cOff, int ldc, boolean accumulate) {
        float[] d = b.dataFor(this, b.k());
        sgemm(false, false, m, b.n(), b.k(), a, aOff, lda, d, 0, b.n(), c, cOff, ldc, accumulate);
    }

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(a[aOff + i], b[bOff + i]);
        }
    }

    @Override
    public void binaryScalar(BinaryOp op, float[] a, int aOff, float s, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(a[aOff + i], s);
        }
    }

    @Override
    public void scalarBinary(BinaryOp op, float s, float[] b, int bOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(s, b[bOff + i]);
        }
    }

    @Override
    public void unary(UnaryOp op, float param, float[] a, int aOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(a[aOff + i], param);
        }
    }

    @Override
    public void gather(float[] src, int[] pos, int posOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = src[pos[posOff + i]];
        }
    }

    @Override
    public void scatterAdd(float[] src, int srcOff, int[] pos, int posOff, float[] dst, int n) {
        for (int i = 0; i < n; i++) {
            dst[pos[posOff + i]] += src[srcOff + i];
        }
    }

    @Override
    public float sum(float[] a, int off, int n) {
        // Blocks of SUM_BLOCK summed left to right, block sums added left to right: a fixed order.
        float total = 0f;
        for (int start = 0; start < n; start += SUM_BLOCK) {
            int end = Math.min(n, start + SUM_BLOCK);
            float s = 0f;
            for (int i = start; i < end; i++) {
                s += a[off + i];
            }
            total += s;
        }
        return total;
    }

    @Override
    public float max(float[] a, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float x = a[off + i];
            if (Float.isNaN(x)) {
                return Float.NaN;
            }
            if (x > m) {
                m = x;
            }
        }
        return m;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public void where(float[] mask, int mOff, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = mask[mOff + i] != 0 ? a[aOff + i] : b[bOff + i];
        }
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void softmaxRows(float[] in, int inOff, float[] out, int outOff, int rows, int cols, boolean log) {
        for (int r = 0; r < rows; r++) {
            int ri = inOff + r * cols;
            int ro = outOff + r * cols;
            float mx = max(in, ri, cols);
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(in[ri + j] - mx);
            }
            if (log) {
                float lse = (float) Math.log(s);
                for (int j = 0; j < cols; j++) {
                    out[ro + j] = in[ri + j] - mx - lse;
                }
            } else {
                float inv = (float) (1.0 / s);
                for (int j = 0; j < cols; j++) {
                    out[ro + j] = (float) Math.exp(in[ri + j] - mx) * inv;
                }
            }
        }
    }

    @Override
    public void adamUpdate(float[] p, int pOff, float[] g, int gOff, float[] m, float[] v, int sOff, int n,
                           float lr, float beta1, float beta2, float eps, float bc1, float bc2) {
        float stepSize = lr / bc1;
        float sqrtBc2 = (float) Math.sqrt(bc2);
        for (int i = 0; i < n; i++) {
            int k = sOff + i;
            float gi = g[gOff + i];
            m[k] = beta1 * m[k] + (1 - beta1) * gi;
            v[k] = beta2 * v[k] + (1 - beta2) * gi * gi;
            // PyTorch: denom = sqrt(v)/sqrt(bc2) + eps; p -= (lr/bc1) * m / denom
            p[pOff + i] -= stepSize * m[k] / ((float) Math.sqrt(v[k]) / sqrtBc2 + eps);
        }
    }

    @Override
    public void sgdUpdate(float[] p, int pOff, float[] g, int gOff, float[] buf, int bOff, int n, boolean firstStep,
                          float lr, float momentum, float dampening, float weightDecay, boolean nesterov) {
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            if (weightDecay != 0) {
                gi += weightDecay * p[pOff + i];
            }
            if (buf != null) {
                int k = bOff + i;
                buf[k] = firstStep ? gi : momentum * buf[k] + (1 - dampening) * gi;
                gi = nesterov ? gi + momentum * buf[k] : buf[k];
            }
            p[pOff + i] -= lr * gi;
        }
    }

    @Override
    public void rmspropUpdate(float[] p, int pOff, float[] g, int gOff, float[] squareAvg, float[] gradAvg, float[] buf,
                              int sOff, int n, float lr, float alpha, float eps, float weightDecay, float momentum) {
        for (int i = 0; i < n; i++) {
            int k = sOff + i;
            float gi = g[gOff + i] + weightDecay * p[pOff + i];
            squareAvg[k] = alpha * squareAvg[k] + (1 - alpha) * gi * gi;
            float avg;
            if (gradAvg != null) {
                gradAvg[k] = alpha * gradAvg[k] + (1 - alpha) * gi;
                avg = (float) Math.sqrt(squareAvg[k] - gradAvg[k] * gradAvg[k]) + eps;
            } else {
                avg = (float) Math.sqrt(squareAvg[k]) + eps;
            }
            if (buf != null) {
                buf[k] = momentum * buf[k] + gi / avg;
                p[pOff + i] -= lr * buf[k];
            } else {
                p[pOff + i] -= lr * gi / avg;
            }
        }
    }

    @Override
    public void addRowVector(float[] x, int xOff, float[] row, int rowOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                x[xOff + r * cols + c] += row[rowOff + c];
            }
        }
    }

    @Override
    public void sumRows(float[] x, int xOff, int rows, int cols, float[] out, int outOff) {
        for (int c = 0; c < cols; c++) {
            float s = 0f;
            for (int r = 0; r < rows; r++) {
                s += x[xOff + r * cols + c];
            }
            out[outOff + c] = s;
        }
    }

    @Override
    public float crossEntropyRows(float[] logits, int off, int rows, int cols, float[] targets, int tOff,
                                  float[] gradOut, int gOff, float gradScale) {
        checkTargets(targets, tOff, rows, cols);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int ri = off + r * cols;
            int t = (int) targets[tOff + r];
            float xt = logits[ri + t];
            float mx = max(logits, ri, cols);
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(logits[ri + j] - mx);
            }
            total += mx + Math.log(s) - xt;
            if (gradOut != null) {
                int go = gOff + r * cols;
                for (int j = 0; j < cols; j++) {
                    float p = (float) (Math.exp(logits[ri + j] - mx) / s);
                    gradOut[go + j] = gradScale * (p - (j == t ? 1f : 0f));
                }
            }
        }
        return (float) total;
    }

    @Override
    public void maxPool2d(Im2col.Geometry g, float[] x, int xOff, int from, int to, float[] y, int yOff, int[] arg) {
        final int H = g.height(), W = g.width(), OH = g.outH(), OW = g.outW();
        for (int pl = from; pl < to; pl++) {
            for (int i = 0; i < OH; i++) {
                for (int j = 0; j < OW; j++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int a = 0; a < g.kh(); a++) {
                        int ih = i * g.sh() - g.ph() + a * g.dh();
                        if (ih < 0 || ih >= H) {
                            continue;
                        }
                        for (int b = 0; b < g.kw(); b++) {
                            int iw = j * g.sw() - g.pw() + b * g.dw();
                            if (iw < 0 || iw >= W) {
                                continue;
                            }
                            int pos = (pl * H + ih) * W + iw;
                            float v = x[xOff + pos];
                            if (at < 0 || v > best || v != v) {
                                best = v;
                                at = pos;
                            }
                        }
                    }
                    int q = yOff + (pl * OH + i) * OW + j;
                    y[q] = best;
                    arg[q] = at;
                }
            }
        }
    }

    @Override
    public void im2col(Im2col.Geometry g, float[] x, int xOff, float[] col, int colOff) {
        Im2col.im2col(g, x, xOff, col, colOff);
    }

    @Override
    public void col2im(Im2col.Geometry g, float[] col, int colOff, float[] x, int xOff) {
        Im2col.col2im(g, col, colOff, x, xOff);
    }

    /**
     * Checks that every {@code targets[tOff + r]}, {@code r < rows}, is an integer class index in
     * {@code [0, cols)}, so that kernels can validate before writing anything.
     *
     * @throws IllegalArgumentException naming the first bad row, its value and {@code cols}
     */
    protected static void checkTargets(float[] targets, int tOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            float t = targets[tOff + r];
            int ti = (int) t;
            if (ti != t || ti < 0 || ti >= cols) {
                throw new IllegalArgumentException("cross-entropy target of row " + r + " is " + t
                        + ", expected a class index in [0, " + cols + ")");
            }
        }
    }

    @Override
    public void layerNormRows(float[] x, int xOff, int rows, int cols, float eps, float[] gamma, float[] beta,
                              float[] y, float[] mean, float[] rstd) {
        for (int r = 0; r < rows; r++) {
            int base = xOff + r * cols;
            float s = 0f;
            for (int c = 0; c < cols; c++) {
                s += x[base + c];
            }
            float m = s / cols, sq = 0f;
            for (int c = 0; c < cols; c++) {
                float d = x[base + c] - m;
                sq += d * d;
            }
            float rs = (float) (1 / Math.sqrt(sq / cols + eps));
            mean[r] = m;
            rstd[r] = rs;
            for (int c = 0; c < cols; c++) {
                float v = (x[base + c] - m) * rs;
                y[r * cols + c] = (gamma == null ? v : v * gamma[c]) + (beta == null ? 0f : beta[c]);
            }
        }
    }

    @Override
    public void layerNormBackwardRows(float[] gy, float[] x, int xOff, int rows, int cols, float[] mean, float[] rstd,
                                      float[] gamma, float[] gx, float[] gGamma, float[] gBeta) {
        for (int r = 0; r < rows; r++) {
            int base = xOff + r * cols, row = r * cols;
            float m = mean[r], rs = rstd[r], sumG = 0f, sumGX = 0f;
            for (int c = 0; c < cols; c++) {
                float xh = (x[base + c] - m) * rs, g = gamma == null ? gy[row + c] : gy[row + c] * gamma[c];
                sumG += g;
                sumGX += g * xh;
                if (gGamma != null) {
                    gGamma[c] += gy[row + c] * xh;
                }
                if (gBeta != null) {
                    gBeta[c] += gy[row + c];
                }
            }
            if (gx == null) {
                continue;
            }
            float meanG = sumG / cols, meanGX = sumGX / cols;
            for (int c = 0; c < cols; c++) {
                float xh = (x[base + c] - m) * rs, g = gamma == null ? gy[row + c] : gy[row + c] * gamma[c];
                gx[row + c] = rs * (g - meanG - xh * meanGX);
            }
        }
    }

    @Override
    public void lstmCellRows(float[] xw, int xwOff, float[] hw, int hwOff, float[] c, int cOff, int rows, int hidden,
                             float[] act, float[] tanhC, float[] hc) {
        int g4 = 4 * hidden;
        for (int r = 0; r < rows; r++) {
            int zr = r * g4, hr = r * hidden;
            for (int j = 0; j < hidden; j++) {
                float i = UnaryOp.SIGMOID.apply(xw[xwOff + zr + j] + hw[hwOff + zr + j], 0f);
                float f = UnaryOp.SIGMOID.apply(xw[xwOff + zr + hidden + j] + hw[hwOff + zr + hidden + j], 0f);
                float g = UnaryOp.TANH.apply(xw[xwOff + zr + 2 * hidden + j] + hw[hwOff + zr + 2 * hidden + j], 0f);
                float o = UnaryOp.SIGMOID.apply(xw[xwOff + zr + 3 * hidden + j] + hw[hwOff + zr + 3 * hidden + j], 0f);
                float cn = f * c[cOff + hr + j] + i * g;
                float tc = UnaryOp.TANH.apply(cn, 0f);
                act[zr + j] = i;
                act[zr + hidden + j] = f;
                act[zr + 2 * hidden + j] = g;
                act[zr + 3 * hidden + j] = o;
                hc[rows * hidden + hr + j] = cn;
                tanhC[hr + j] = tc;
                hc[hr + j] = o * tc;
            }
        }
    }

    @Override
    public void lstmCellBackwardRows(float[] gh, int ghOff, float[] gc, int gcOff, float[] act, float[] tanhC, float[] c,
                                     int cOff, int rows, int hidden, float[] gz, float[] gcPrev) {
        for (int r = 0; r < rows; r++) {
            lstmCellBackwardRow(gh, ghOff, gc, gcOff, act, tanhC, c, cOff, r, hidden, 0, gz, gcPrev);
        }
    }

    /** Row {@code r} of {@link #lstmCellBackwardRows} from unit {@code from} on (a vector loop's scalar tail). */
    public static void lstmCellBackwardRow(float[] gh, int ghOff, float[] gc, int gcOff, float[] act, float[] tanhC,
                                           float[] c, int cOff, int r, int hidden, int from, float[] gz,
                                           float[] gcPrev) {
        int zr = r * 4 * hidden, hr = r * hidden;
        for (int j = from; j < hidden; j++) {
            float i = act[zr + j], f = act[zr + hidden + j], g = act[zr + 2 * hidden + j];
            float o = act[zr + 3 * hidden + j], tc = tanhC[hr + j], dh = gh[ghOff + hr + j];
            float dc = (gc == null ? 0f : gc[gcOff + hr + j]) + dh * o * (1f - tc * tc);
            gz[zr + j] = dc * g * (i * (1f - i));
            gz[zr + hidden + j] = dc * c[cOff + hr + j] * (f * (1f - f));
            gz[zr + 2 * hidden + j] = dc * i * (1f - g * g);
            gz[zr + 3 * hidden + j] = dh * tc * (o * (1f - o));
            if (gcPrev != null) {
                gcPrev[hr + j] = dc * f;
            }
        }
    }
}
