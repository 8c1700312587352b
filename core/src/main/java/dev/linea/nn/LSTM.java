package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;

import java.util.List;

/**
 * A multi-layer long short-term memory network, as {@code torch.nn.LSTM}. Each step of each layer:
 * <pre>
 * i = σ(W_ii x + b_ii + W_hi h + b_hi)     f = σ(W_if x + b_if + W_hf h + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg)  o = σ(W_io x + b_io + W_ho h + b_ho)
 * c' = f ⊙ c + i ⊙ g                       h' = o ⊙ tanh(c')
 * </pre>
 * with the gates stacked in PyTorch's order (i, f, g, o) in {@code weight_ih_l0} (4H, H_in) and
 * {@code weight_hh_l0} (4H, H), so PyTorch state dicts load as they are. Shapes and options: {@link RNNBase}.
 *
 * <p>{@link #forward(List)} takes {@code [input]} or {@code [input, h0, c0]} and returns
 * {@code [output, h_n, c_n]} (PyTorch's {@code output, (h_n, c_n)}); {@link #forward(Tensor)} returns the
 * output alone.
 */
public class LSTM extends RNNBase {
    /** One layer, with biases, sequence-first, no dropout, one direction. */
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, true, false, 0f, false);
    }

    /** PyTorch's arguments, in its order. */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, float dropout,
                boolean bidirectional) {
        super("LSTM", 4, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    @Override
    int stateCount() {
        return 2;
    }

    @Override
    Tensor[] step(Tensor xw, Tensor[] state, Parameter[] p) {
        // One fused node for the gates and the state update (the formulas above), as PyTorch's fused cell.
        return F.lstmCell(xw, hiddenProjection(state[0], p), state[1]);
    }

    /** The whole sequence through {@link F#lstmRecurrence}: one gradient buffer for the input projections. */
    @Override
    Tensor[] recurrence(Tensor xw, Tensor[] state, Parameter[] p, boolean reverse) {
        return F.lstmRecurrence(xw, state[0], state[1], p[1], p[3], reverse);
    }

    /** The output sequence (L, N, D·H) (or as laid out by {@code batchFirst}, or unbatched). */
    @Override
    public Tensor forward(Tensor input) {
        return forward(List.of(input)).get(0);
    }

    /** {@code [input]} or {@code [input, h0, c0]} to {@code [output, h_n, c_n]}. */
    @Override
    public List<Tensor> forward(List<Tensor> inputs) {
        if (inputs.size() != 1 && inputs.size() != 3) {
            throw new IllegalArgumentException("LSTM.forward takes [input] or [input, h0, c0], got " + inputs.size()
                    + " tensors");
        }
        return run("LSTM", inputs.get(0), inputs.size() == 3 ? inputs.subList(1, 3) : null);
    }
}
