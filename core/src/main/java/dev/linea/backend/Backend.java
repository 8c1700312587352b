package dev.linea.backend;

/**
 * The compute layer: float32 kernels over plain arrays. Backend know nothing of tensors or autograd;
 * every array argument is a {@code float[]} plus an offset, and matrices are row-major with a leading
 * dimension.
 *
 * <p>Two implementations exist: {@link ScalarBackend}, the plain-Java reference every fast kernel is
 * tested against, and a Vector API implementation picked at start-up by {@link Backends} when
 * {@code jdk.incubator.vector} is available. Results must not depend on the thread count.
 */
public interface Backend {

    /** A short name for logs, e.g. {@code "scalar"} or {@code "vector(256-bit)"}. */
    String name();

    /**
     * The choices this backend made for the machine it runs on (vector width, GEMM register block and
     * cache blocking), for benchmarks to print beside their figures; {@link #name()} when there are none.
     */
    default String details() {
        return name();
    }

    /**
     * Single-precision GEMM: {@code C[m×n] = op(A)[m×k] · op(B)[k×n]} (or {@code +=} when
     * {@code accumulate}). {@code op(A)} is {@code A} or {@code Aᵀ}; with {@code transA} the array
     * holds A as k×m (so {@code A[p][i] = a[aOff + p*lda + i]}), otherwise m×k
     * ({@code a[aOff + i*lda + p]}); likewise for B (n×k when {@code transB}, else k×n).
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb,
               float[] c, int cOff, int ldc, boolean accumulate);

    /**
     * Packs {@code op(B)} (k×n; with {@code transB} the array holds B as n×k, so {@code B[p][j] = b[bOff + j*ldb + p]},
     * otherwise {@code b[bOff + p*ldb + j]}) for {@link #sgemm(int, float[], int, int, PackedMatrix, float[], int, int,
     * boolean)}. A copy: {@code b} may change afterwards.
     */
    PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb);

    /**
     * {@code C[m×n] = A[m×k] · op(B)} (or {@code +=} when {@code accumulate}) with {@code op(B)} packed by
     * {@link #pack}, {@code k} its depth, A row-major ({@code a[aOff + i*lda + p]}). The same bits for any
     * thread count, and the same bits for every {@code m} row by row (a row's value does not depend on the
     * other rows); within rounding of {@link #sgemm(boolean, boolean, int, int, int, float[], int, int, float[],
     * int, int, float[], int, int, boolean)}.
     *
     * @throws IllegalArgumentException if {@code b} was packed by another backend
     */
    void sgemm(int m, float[] a, int aOff, int lda, PackedMatrix b, float[] c, int cOff, int ldc, boolean accumulate);

    /** {@code out[i] = op(a[i], b[i])} for {@code i < n}. {@code out} may alias {@code a} or {@code b}. */
    void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /** {@code out[i] = op(a[i], s)} for {@code i < n}. */
    void binaryScalar(BinaryOp op, float[] a, int aOff, float s, float[] out, int outOff, int n);

    /** {@code out[i] = op(s, b[i])} for {@code i < n}. */
    void scalarBinary(BinaryOp op, float s, float[] b, int bOff, float[] out, int outOff, int n);

    /** {@code out[i] = op(a[i]; param)} for {@code i < n}; {@code param} is the op's parameter, if any. */
    void unary(UnaryOp op, float param, float[] a, int aOff, float[] out, int outOff, int n);

    /** Sum of {@code a[off..off+n)} in a fixed order (pairwise over fixed blocks), for reproducibility. */
    float sum(float[] a, int off, int n);

    /** Largest of {@code a[off..off+n)}; NaN if any element is NaN; -Infinity when {@code n == 0}. */
    float max(float[] a, int off, int n);

    /** Dot product of two contiguous ranges, in a fixed order. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /**
     * {@code out[i] = mask[i] != 0 ? a[i] : b[i]} for {@code i < n}: a select, not a blend, so an
     * unchosen infinity or NaN never reaches {@code out}. {@code out} may alias any input.
     */
    void where(float[] mask, int mOff, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /**
     * An indexed read: {@code out[outOff + i] = src[pos[posOff + i]]} for {@code i < n} (gather,
     * index_select, embedding lookups). Every position must be inside {@code src}.
     */
    void gather(float[] src, int[] pos, int posOff, float[] out, int outOff, int n);

    /**
     * An indexed accumulate: {@code dst[pos[posOff + i]] += src[srcOff + i]} for {@code i = 0, 1, ..., n-1}
     * in that order, so repeated positions add up in a fixed order (scatter_add, the backward of gather
     * and of embedding lookups).
     */
    void scatterAdd(float[] src, int srcOff, int[] pos, int posOff, float[] dst, int n);

    /** {@code y[i] += alpha * x[i]}. */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /**
     * Row-wise softmax (or log-softmax) of a {@code rows×cols} row-major block, numerically stable
     * (the row maximum is subtracted first).
     */
    void softmaxRows(float[] in, int inOff, float[] out, int outOff, int rows, int cols, boolean log);

    /**
     * One Adam/AdamW update of {@code n} parameters, in one pass ({@code p} at {@code pOff}, the gradient at
     * {@code gOff}, both moments at {@code sOff}):
     * {@code m = b1·m + (1-b1)·g; v = b2·v + (1-b2)·g²; p -= lr·(m/bc1) / (sqrt(v/bc2) + eps)}, where
     * {@code g} already includes L2 weight decay for Adam; AdamW's decoupled decay
     * ({@code p *= 1 - lr·wd}) is applied by the caller before this call. Elementwise: a caller may split
     * the range over threads without changing a bit.
     */
    void adamUpdate(float[] p, int pOff, float[] g, int gOff, float[] m, float[] v, int sOff, int n,
                    float lr, float beta1, float beta2, float eps, float biasCorrection1, float biasCorrection2);

    /**
     * One SGD update of {@code n} parameters, PyTorch's rule: {@code g += wd·p}; with a momentum buffer
     * {@code buf} (null for none) {@code buf = firstStep ? g : momentum·buf + (1-dampening)·g} and
     * {@code g = nesterov ? g + momentum·buf : buf}; then {@code p -= lr·g}. {@code g} is not written.
     */
    void sgdUpdate(float[] p, int pOff, float[] g, int gOff, float[] buf, int bOff, int n, boolean firstStep,
                   float lr, float momentum, float dampening, float weightDecay, boolean nesterov);

    /**
     * One RMSprop update of {@code n} parameters, PyTorch's rule: {@code g += wd·p};
     * {@code s = α·s + (1-α)·g²}; {@code avg = √(s − ḡ²) + eps} with {@code ḡ = α·ḡ + (1-α)·g} when
     * {@code gradAvg} is given (centered), else {@code √s + eps}; with a momentum buffer
     * {@code b = momentum·b + g/avg, p -= lr·b}, else {@code p -= lr·g/avg}. State arrays share {@code sOff}.
     */
    void rmspropUpdate(float[] p, int pOff, float[] g, int gOff, float[] squareAvg, float[] gradAvg, float[] buf,
                       int sOff, int n, float lr, float alpha, float eps, float weightDecay, float momentum);

    /**
     * Bias add: {@code x[r][c] += row[c]} for a {@code rows×cols} row-major block at {@code xOff}
     * ({@code x[r][c] = x[xOff + r*cols + c]}) and a row of {@code cols} values at {@code rowOff}.
     */
    void addRowVector(float[] x, int xOff, float[] row, int rowOff, int rows, int cols);

    /**
     * Column sums (a bias gradient): {@code out[outOff + c] = Σ_r x[xOff + r*cols + c]} for
     * {@code c < cols}, overwriting {@code out}. Each column is summed over rows {@code 0, 1, …, rows-1}
     * in that order, starting from {@code +0}; {@code rows == 0} gives zeros. {@code out} must not
     * overlap {@code x}.
     */
    void sumRows(float[] x, int xOff, int rows, int cols, float[] out, int outOff);

    /**
     * Fused softmax cross-entropy over a {@code rows×cols} block of logits {@code z} at {@code off}, with
     * class indices {@code t_r = targets[tOff + r]} held as floats. Returns the summed (not averaged) loss
     * <pre>{@code   Σ_r ( logsumexp(z_r) − z_r[t_r] ),   logsumexp(z) = max(z) + log Σ_j exp(z_j − max(z))}</pre>
     * and, when {@code gradOut} is not null, writes its gradient scaled by {@code gradScale}:
     * <pre>{@code   gradOut[gOff + r*cols + j] = gradScale · ( softmax(z_r)_j − [j == t_r] )}</pre>
     * (pass {@code gradScale = 1/rows} for the mean loss). {@code gradOut} may be {@code logits} at the
     * same offset; otherwise it must not overlap it.
     *
     * @throws IllegalArgumentException if some target is not an integer in {@code [0, cols)}; nothing is
     *         written in that case
     */
    float crossEntropyRows(float[] logits, int off, int rows, int cols, float[] targets, int tOff,
                           float[] gradOut, int gOff, float gradScale);

    /**
     * Max pooling over the planes {@code [from, to)} of a stack of {@code H×W} planes ({@code g.height() ×
     * g.width()}; {@code g.channels()} is not used), plane {@code p} at {@code x[xOff + p·H·W]}. Window
     * {@code (i, j)}, {@code i < g.outH(), j < g.outW()}, holds the taps at rows {@code i·sh − ph + a·dh} and
     * columns {@code j·sw − pw + b·dw} ({@code a < kh, b < kw}) that lie inside the plane. At
     * {@code q = p·OH·OW + i·OW + j}:
     * <pre>{@code   y[yOff + q]   = the window's maximum (−∞ for a window wholly in the padding)
     *   arg[yOff + q] = the index of that element relative to xOff (−1 for such a window)}</pre>
     * Taps are visited row by row; a greater value replaces the maximum (so the first of equal maxima wins)
     * and so does any NaN (so the last NaN wins): PyTorch's rule. Serial: the caller splits the planes.
     */
    void maxPool2d(Im2col.Geometry g, float[] x, int xOff, int from, int to, float[] y, int yOff, int[] arg);

    /** {@link Im2col#im2col}: unfolds one image {@code (C, H, W)} into its column matrix {@code (C·kh·kw, OH·OW)}. */
    void im2col(Im2col.Geometry g, float[] x, int xOff, float[] col, int colOff);

    /** {@link Im2col#col2im}: adds a column matrix back into an image {@code (C, H, W)}, the adjoint of im2col. */
    void col2im(Im2col.Geometry g, float[] col, int colOff, float[] x, int xOff);

    /**
     * Layer normalisation of each row of a {@code rows×cols} block at {@code xOff}: {@code mean_r} and the
     * biased {@code var_r} over the row (two passes), {@code rstd_r = 1/√(var_r + eps)},
     * {@code y = (x − mean_r)·rstd_r·gamma[c] + beta[c]} ({@code gamma}, {@code beta} of {@code cols} values
     * or null for 1 and 0). Writes {@code y} densely at 0 and {@code mean}, {@code rstd} per row.
     */
    void layerNormRows(float[] x, int xOff, int rows, int cols, float eps, float[] gamma, float[] beta,
                       float[] y, float[] mean, float[] rstd);

    /**
     * The backward of {@link #layerNormRows}: with {@code x̂ = (x − mean)·rstd} and {@code ĝ = gy·gamma},
     * {@code gx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))} per row (written densely at 0 when {@code gx} is not
     * null), and, summed over rows 0..rows−1 in order, {@code gGamma[c] += gy·x̂}, {@code gBeta[c] += gy}
     * (each when not null). {@code gy} is dense at 0.
     */
    void layerNormBackwardRows(float[] gy, float[] x, int xOff, int rows, int cols, float[] mean, float[] rstd,
                               float[] gamma, float[] gx, float[] gGamma, float[] gBeta);

    /**
     * The pointwise part of one LSTM step for {@code rows} rows of {@code hidden} units: the pre-activations
     * {@code z = xw + hw} (each {@code rows×4·hidden}, dense from its offset, gates in PyTorch's order i, f, g, o),
     * {@code i, f, o = σ(z)}, {@code g = tanh(z)}, {@code c' = f·c + i·g}, {@code h' = o·tanh(c')} — the same
     * operations, in the same order, as the unfused {@code Tensor} composition. Writes densely at 0 the
     * activations {@code act} (rows×4·hidden: i, f, g, o), {@code tanhC = tanh(c')} (rows×hidden) and
     * {@code hc} (2×rows×hidden: {@code h'}, then {@code c'}); {@code c} is read from {@code cOff}.
     */
    void lstmCellRows(float[] xw, int xwOff, float[] hw, int hwOff, float[] c, int cOff, int rows, int hidden,
                      float[] act, float[] tanhC, float[] hc);

    /**
     * The backward of {@link #lstmCellRows}, from the saved {@code act}, {@code tanhC} and {@code c} (at
     * {@code cOff}): with {@code gh}, {@code gc} the gradients of {@code h'} and {@code c'} (dense from {@code ghOff},
     * {@code gcOff}; {@code gc} may be null for zero), {@code gC = gc + gh·o·(1 − tanhC²)}, writes densely at 0
     * {@code gz} (rows×4·hidden: {@code gC·g·i(1−i)}, {@code gC·c·f(1−f)}, {@code gC·i·(1−g²)},
     * {@code gh·tanhC·o(1−o)}) and, when not null, {@code gcPrev = gC·f} (rows×hidden).
     */
    void lstmCellBackwardRows(float[] gh, int ghOff, float[] gc, int gcOff, float[] act, float[] tanhC, float[] c,
                              int cOff, int rows, int hidden, float[] gz, float[] gcPrev);
}
