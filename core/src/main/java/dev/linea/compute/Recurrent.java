package dev.linea.compute;

import static dev.linea.compute.Compute.K;

import dev.linea.Tensor;

/**
 * The fused pointwise part of an LSTM step behind {@code F.lstmCell}, through {@code Backend.lstmCellRows}
 * and its backward: one forward pass over the gates and one backward pass instead of about fifteen
 * elementwise ops and their graph nodes per step. Inputs: (xw, hw, c) — the step's input projection and
 * hidden projection, each (N, 4H), and the cell state (N, H); output (2, N, H): h', then c'.
 */
public final class Recurrent {
    private Recurrent() {}

    public static Fused lstmCell(Tensor xw, Tensor hw, Tensor c) {
        int rows = c.size(0), hidden = c.size(1);
        Dense x = Dense.of(xw), h = Dense.of(hw), cs = Dense.of(c);
        float[] act = new float[rows * 4 * hidden], tanhC = new float[rows * hidden], hc = new float[2 * rows * hidden];
        K.lstmCellRows(x.a(), x.off(), h.a(), h.off(), cs.a(), cs.off(), rows, hidden, act, tanhC, hc);
        return new Fused(Tensor.wrap(hc, 2, rows, hidden), (g, need) -> {
            Dense gd = Dense.of(g);
            float[] gz = need[0] || need[1] ? new float[rows * 4 * hidden] : null;
            float[] gcPrev = need[2] ? new float[rows * hidden] : null;
            if (gz != null || gcPrev != null) {
                float[] gzk = gz == null ? new float[rows * 4 * hidden] : gz;
                K.lstmCellBackwardRows(gd.a(), gd.off(), gd.a(), gd.off() + rows * hidden, act, tanhC, cs.a(), cs.off(),
                        rows, hidden, gzk, gcPrev);
            }
            // xw and hw enter as a sum: the same gradient, each in its own array (autograd may accumulate into it).
            return new Tensor[] {need[0] ? Tensor.wrap(gz, rows, 4 * hidden) : null,
                    need[1] ? Tensor.wrap(need[0] ? gz.clone() : gz, rows, 4 * hidden) : null,
                    gcPrev == null ? null : Tensor.wrap(gcPrev, rows, hidden)};
        });
    }
}
