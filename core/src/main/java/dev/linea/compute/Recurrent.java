package dev.linea.compute;

import static dev.linea.compute.Compute.K;

import dev.linea.Tensor;

/**
 * The fused pointwise part of an LSTM step behind {@code F.lstmCell} and {@code F.lstmRecurrence}, through
 * {@code Backend.lstmCellRows} and its backward: one forward pass over the gates and one backward pass
 * instead of about fifteen elementwise ops and their graph nodes per step.
 */
public final class Recurrent {
    private Recurrent() {}

    /** One step; its input-gate gradient goes into {@code seq} at slice {@code t}, or (seq null) is returned. */
    private static Fused cell(float[] xw, int xwOff, Tensor hw, Tensor c, SequenceGradient seq, int t) {
        int rows = c.size(0), hidden = c.size(1), z = rows * 4 * hidden;
        Dense h = Dense.of(hw), cs = Dense.of(c);
        float[] act = new float[z], tanhC = new float[rows * hidden], hc = new float[2 * rows * hidden];
        K.lstmCellRows(xw, xwOff, h.a(), h.off(), cs.a(), cs.off(), rows, hidden, act, tanhC, hc);
        return new Fused(Tensor.wrap(hc, 2, rows, hidden), (g, need) -> {
            Dense gd = Dense.of(g);
            float[] gz = new float[z];
            float[] gcPrev = need[2] ? new float[rows * hidden] : null;
            K.lstmCellBackwardRows(gd.a(), gd.off(), gd.a(), gd.off() + rows * hidden, act, tanhC, cs.a(), cs.off(),
                    rows, hidden, gz, gcPrev);
            Tensor gIn = null;
            if (need[0]) {
                if (seq == null) {
                    gIn = Tensor.wrap(need[1] ? gz.clone() : gz, rows, 4 * hidden);
                } else {
                    System.arraycopy(gz, 0, seq.buffer(), t * z, z);
                    gIn = Tensor.zeros(1); // the token's gradient: the real one went into the buffer
                }
            }
            return new Tensor[] {gIn, need[1] ? Tensor.wrap(gz, rows, 4 * hidden) : null,
                    gcPrev == null ? null : Tensor.wrap(gcPrev, rows, hidden)};
        });
    }

    /**
     * Inputs (xw, hw, c): the step's input and hidden projections, each (N, 4H), and the cell state (N, H);
     * output (2, N, H): h', then c'.
     */
    public static Fused lstmCell(Tensor xw, Tensor hw, Tensor c) {
        Dense x = Dense.of(xw);
        return cell(x.a(), x.off(), hw, c, null, 0);
    }

    /**
     * Step {@code t} of a sequence whose input projections {@code xw} (T, N, 4H) are read in place; inputs
     * (token, hw, c), where the token stands for xw in the graph and the step's input-gate gradient goes
     * into {@code seq}'s buffer at slice t (so no step builds a gradient of the whole sequence's size).
     */
    public static Fused lstmStep(Dense xw, int t, Tensor hw, Tensor c, SequenceGradient seq) {
        return cell(xw.a(), xw.off() + t * c.size(0) * 4 * c.size(1), hw, c, seq, t);
    }

    /**
     * The gradient of a whole sequence's input projections (T, N, G·H), filled slice by slice by the steps'
     * backward and handed to the projection by one node that runs after them all ({@link #take}); a fresh
     * zero buffer for every backward pass, so steps no gradient reaches contribute zeros.
     */
    public static final class SequenceGradient {
        private final int[] shape;
        private float[] buffer;

        public SequenceGradient(int[] shape) {
            this.shape = shape.clone();
        }

        float[] buffer() {
            if (buffer == null) {
                int n = 1;
                for (int d : shape) {
                    n *= d;
                }
                buffer = new float[n];
            }
            return buffer;
        }

        /** The gradient collected in this backward pass (null if no step contributed), and a fresh buffer for the next. */
        public Tensor take() {
            float[] b = buffer;
            buffer = null;
            return b == null ? null : Tensor.wrap(b, shape);
        }
    }
}
