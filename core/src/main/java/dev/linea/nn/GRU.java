package dev.linea.nn;

import dev.linea.Tensor;

import java.util.List;

/**
 * A multi-layer gated recurrent unit network, as {@code torch.nn.GRU}. Each step of each layer:
 * <pre>
 * r = σ(W_ir x + b_ir + W_hr h + b_hr)     z = σ(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 * h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * with the gates stacked in PyTorch's order (r, z, n) in {@code weight_ih_l0} (3H, H_in) and
 * {@code weight_hh_l0} (3H, H). Shapes and options: {@link RNNBase}.
 *
 * <p>{@link #forward(List)} takes {@code [input]} or {@code [input, h0]} and returns {@code [output, h_n]};
 * {@link #forward(Tensor)} returns the output alone.
 */
public class GRU extends RNNBase {
    /** One layer, with biases, sequence-first, no dropout, one direction. */
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, true, false, 0f, false);
    }

    /** PyTorch's arguments, in its order. */
    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, float dropout,
               boolean bidirectional) {
        super("GRU", 3, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    @Override
    int stateCount() {
        return 1;
    }

    @Override
    Tensor[] step(Tensor xw, Tensor[] state, Parameter[] p) {
        int h = hiddenSize;
        Tensor hw = hiddenProjection(state[0], p);
        Tensor r = xw.narrow(1, 0, h).add(hw.narrow(1, 0, h)).sigmoid();
        Tensor z = xw.narrow(1, h, h).add(hw.narrow(1, h, h)).sigmoid();
        Tensor n = xw.narrow(1, 2 * h, h).add(r.mul(hw.narrow(1, 2 * h, h))).tanh();
        return new Tensor[] {n.sub(z.mul(n)).add(z.mul(state[0]))};
    }

    /** The output sequence (L, N, D·H) (or as laid out by {@code batchFirst}, or unbatched). */
    @Override
    public Tensor forward(Tensor input) {
        return forward(List.of(input)).get(0);
    }

    /** {@code [input]} or {@code [input, h0]} to {@code [output, h_n]}. */
    @Override
    public List<Tensor> forward(List<Tensor> inputs) {
        if (inputs.size() != 1 && inputs.size() != 2) {
            throw new IllegalArgumentException("GRU.forward takes [input] or [input, h0], got " + inputs.size() + " tensors");
        }
        return run("GRU", inputs.get(0), inputs.size() == 2 ? inputs.subList(1, 2) : null);
    }
}
