package dev.linea.kernels.vector;

import dev.linea.kernels.ScalarKernels;

/**
 * Kernels on the Vector API ({@code jdk.incubator.vector}). Loaded reflectively by
 * {@link dev.linea.kernels.KernelProvider} only when the module is present. Anything not overridden
 * here falls back to the scalar reference.
 */
public final class VectorKernels extends ScalarKernels {

    @Override
    public String name() {
        return "vector(" + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit)";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        VectorGemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }
}
