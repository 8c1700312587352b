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
}
