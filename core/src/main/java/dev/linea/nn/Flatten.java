package dev.linea.nn;

import dev.linea.Tensor;

/** Flattens dimensions {@code startDim..endDim} (default 1..-1): (N, C, H, W) → (N, C·H·W). */
public class Flatten extends Module {
    public final int startDim;
    public final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return recordOutput(input.flatten(startDim, endDim));
    }

    @Override
    public String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
