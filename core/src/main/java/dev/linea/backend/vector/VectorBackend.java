package dev.linea.backend.vector;

import dev.linea.backend.PackedMatrix;

import dev.linea.backend.BinaryOp;
import dev.linea.backend.Im2col;
import dev.linea.backend.ScalarBackend;
import dev.linea.backend.UnaryOp;

/**
 * Backend on the Vector API ({@code jdk.incubator.vector}). Loaded reflectively by
 * {@link dev.linea.backend.Backends} only when the module is present. Anything not overridden
 * here falls back to the scalar reference. The elementwise, reduction, softmax, cross-entropy and Adam
 * kernels live in {@link VectorElementwise}, which documents their accuracy against the reference.
 */
public final class VectorBackend extends ScalarBackend {

    @Override
    public String name() {
        return "vector(" + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit)";
    }

    @Override
    public String details() {
        return name() + ", gemm " + VectorGemm.describe();
    }

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        VectorElementwise.binary(op, a, aOff, b, bOff, out, outOff, n);
    }

    @Override
    public void binaryScalar(BinaryOp op, float[] a, int aOff, float s, float[] out, int outOff, int n) {
        VectorElementwise.binaryScalar(op, a, aOff, s, out, outOff, n);
    }

    @Override
    public void scalarBinary(BinaryOp op, float s, float[] b, int bOff, float[] out, int outOff, int n) {
        VectorElementwise.scalarBinary(op, s, b, bOff, out, outOff, n);
    }

    @Override
    public void unary(UnaryOp op, float param, float[] a, int aOff, float[] out, int outOff, int n) {
        VectorElementwise.unary(op, param, a, aOff, out, outOff, n);
    }

    /**
     * Lane gathers ({@code FloatVector.fromArray} with an index map); bitwise the scalar result, as it only
     * moves values. Scatter-add stays scalar: repeated positions in one vector would collide.
     */
    @Override
    public void gather(float[] src, int[] pos, int posOff, float[] out, int outOff, int n) {
        var species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        int i = 0;
        for (int bound = species.loopBound(n); i < bound; i += species.length()) {
            jdk.incubator.vector.FloatVector.fromArray(species, src, 0, pos, posOff + i).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = src[pos[posOff + i]];
        }
    }

    @Override
    public float sum(float[] a, int off, int n) {
        return VectorElementwise.sum(a, off, n);
    }

    @Override
    public float max(float[] a, int off, int n) {
        return VectorElementwise.max(a, off, n);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return VectorElementwise.dot(a, aOff, b, bOff, n);
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        VectorElementwise.axpy(n, alpha, x, xOff, y, yOff);
    }

    @Override
    public void softmaxRows(float[] in, int inOff, float[] out, int outOff, int rows, int cols, boolean log) {
        VectorElementwise.softmaxRows(in, inOff, out, outOff, rows, cols, log);
    }

    @Override
    public void adamUpdate(float[] p, int pOff, float[] g, int gOff, float[] m, float[] v, int sOff, int n,
                           float lr, float beta1, float beta2, float eps, float bc1, float bc2) {
        VectorElementwise.adamUpdate(p, pOff, g, gOff, m, v, sOff, n, lr, beta1, beta2, eps, bc1, bc2);
    }

    @Override
    public void addRowVector(float[] x, int xOff, float[] row, int rowOff, int rows, int cols) {
        VectorElementwise.addRowVector(x, xOff, row, rowOff, rows, cols);
    }

    @Override
    public void sumRows(float[] x, int xOff, int rows, int cols, float[] out, int outOff) {
        VectorElementwise.sumRows(x, xOff, rows, cols, out, outOff);
    }

    @Override
    public float crossEntropyRows(float[] logits, int off, int rows, int cols, float[] targets, int tOff,
                                  float[] gradOut, int gOff, float gradScale) {
        checkTargets(targets, tOff, rows, cols);
        return VectorElementwise.crossEntropyRows(logits, off, rows, cols, targets, tOff, gradOut, gOff, gradScale);
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        VectorGemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    @Override
    public PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return new PackedMatrix(this, k, n, VectorGemm.pack(transB, k, n, b, bOff, ldb));
    }

    @Override
    public void sgemm(int m, float[] a, int aOff, int lda, PackedMatrix b, float[] c, int cOff, int ldc, boolean accumulate) {
        VectorGemm.sgemmPacked(m, b.n(), b.k(), a, aOff, lda, b.dataFor(this, b.k()), c, cOff, ldc, accumulate);
    }

    @Override
    public void maxPool2d(Im2col.Geometry g, float[] x, int xOff, int from, int to, float[] y, int yOff, int[] arg) {
        VectorPooling.maxPool2d(g, x, xOff, from, to, y, yOff, arg);
    }

    @Override
    public void im2col(Im2col.Geometry g, float[] x, int xOff, float[] col, int colOff) {
        VectorIm2col.im2col(g, x, xOff, col, colOff);
    }

    @Override
    public void col2im(Im2col.Geometry g, float[] col, int colOff, float[] x, int xOff) {
        VectorIm2col.col2im(g, col, colOff, x, xOff);
    }

    @Override
    public void layerNormRows(float[] x, int xOff, int rows, int cols, float eps, float[] gamma, float[] beta,
                              float[] y, float[] mean, float[] rstd) {
        VectorLayerNorm.forward(x, xOff, rows, cols, eps, gamma, beta, y, mean, rstd);
    }

    @Override
    public void layerNormBackwardRows(float[] gy, float[] x, int xOff, int rows, int cols, float[] mean, float[] rstd,
                                      float[] gamma, float[] gx, float[] gGamma, float[] gBeta) {
        VectorLayerNorm.backward(gy, x, xOff, rows, cols, mean, rstd, gamma, gx, gGamma, gBeta);
    }

    @Override
    public void lstmCellRows(float[] xw, int xwOff, float[] hw, int hwOff, float[] c, int cOff, int rows, int hidden,
                             float[] act, float[] tanhC, float[] hc) {
        VectorLstmCell.forward(xw, xwOff, hw, hwOff, c, cOff, rows, hidden, act, tanhC, hc);
    }

    @Override
    public void lstmCellBackwardRows(float[] gh, int ghOff, float[] gc, int gcOff, float[] act, float[] tanhC, float[] c, int cOff, int rows,
                                     int hidden, float[] gz, float[] gcPrev) {
        VectorLstmCell.backward(gh, ghOff, gc, gcOff, act, tanhC, c, cOff, rows, hidden, gz, gcPrev);
    }
}
