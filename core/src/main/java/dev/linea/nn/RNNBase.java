package dev.linea.nn;

import dev.linea.Tensor;
import dev.linea.internal.PyRepr;
import dev.linea.nn.functional.F;
import dev.linea.nn.init.Init;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link LSTM} and {@link GRU} share, as PyTorch's {@code RNNBase}: the options, the parameters under
 * PyTorch's names ({@code weight_ih_l0}, {@code weight_hh_l0}, {@code bias_ih_l0}, {@code bias_hh_l0}, with
 * {@code _reverse} for the backward direction of a bidirectional layer), PyTorch's initialisation (every
 * parameter U(−1/√hidden, 1/√hidden)) and the loop over layers and directions.
 *
 * <p>Shapes: input (L, N, H_in), or (N, L, H_in) with {@code batchFirst}, or unbatched (L, H_in); output
 * (L, N, D·H) (D = 2 when bidirectional), hidden states (D·num_layers, N, H). Each layer's input projection
 * is one matrix product over the whole sequence; only the hidden-state product runs step by step.
 */
public abstract class RNNBase extends Module {
    public final int inputSize;
    public final int hiddenSize;
    public final int numLayers;
    public final boolean bias;
    public final boolean batchFirst;
    public final float dropout;
    public final boolean bidirectional;
    private final int gates;
    private final List<Parameter[]> cells = new ArrayList<>(); // per layer and direction: w_ih, w_hh, b_ih, b_hh

    RNNBase(String mode, int gates, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
            float dropout, boolean bidirectional) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(mode + ": input_size and hidden_size must be positive, got input_size="
                    + inputSize + ", hidden_size=" + hiddenSize);
        }
        if (numLayers <= 0) {
            throw new IllegalArgumentException("num_layers must be greater than or equal to 1, got " + numLayers);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("dropout should be a number in range [0, 1] representing the "
                    + "probability of an element being zeroed, got " + dropout);
        }
        if (dropout > 0 && numLayers == 1) {
            System.err.println("Linea warning: dropout option adds dropout after all but last recurrent layer, so "
                    + "non-zero dropout expects num_layers greater than 1, but got dropout=" + PyRepr.pyFloat(dropout)
                    + " and num_layers=" + numLayers);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        this.gates = gates;
        int dirs = bidirectional ? 2 : 1;
        for (int layer = 0; layer < numLayers; layer++) {
            int in = layer == 0 ? inputSize : hiddenSize * dirs;
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + layer + (d == 1 ? "_reverse" : "");
                Parameter[] p = new Parameter[4];
                p[0] = registerParameter("weight_ih" + sfx, new Parameter(Tensor.zeros(gates * hiddenSize, in)));
                p[1] = registerParameter("weight_hh" + sfx, new Parameter(Tensor.zeros(gates * hiddenSize, hiddenSize)));
                if (bias) {
                    p[2] = registerParameter("bias_ih" + sfx, new Parameter(Tensor.zeros(gates * hiddenSize)));
                    p[3] = registerParameter("bias_hh" + sfx, new Parameter(Tensor.zeros(gates * hiddenSize)));
                }
                cells.add(p);
            }
        }
        resetParameters(generator());
    }

    /** PyTorch's {@code reset_parameters}: every parameter, in registration order, U(−1/√hidden, 1/√hidden). */
    @Override
    public void resetParameters(dev.linea.Generator gen) {
        double k = 1 / Math.sqrt(hiddenSize);
        for (Parameter p : ownParameters().values()) {
            Init.uniform_(p, -k, k, gen);
        }
    }

    /** The parameter named {@code name} (PyTorch's attribute, e.g. {@code weight_hh_l0}); an unknown name is an error. */
    public Parameter weight(String name) {
        Parameter p = ownParameters().get(name);
        if (p == null) {
            throw new IllegalArgumentException("'" + getClass().getSimpleName() + "' object has no attribute '" + name
                    + "' (parameters: " + ownParameters().keySet() + ")");
        }
        return p;
    }

    /** The number of directions, D. */
    int directions() {
        return bidirectional ? 2 : 1;
    }

    /** One time step of the cell: the input projection {@code xw} (N, G·H) of this step, the state; the new state. */
    abstract Tensor[] step(Tensor xw, Tensor[] state, Parameter[] p);

    /**
     * One layer and direction over the whole sequence: {@code xw} (T, N, G·H) the input projections of every
     * step, {@code state} the initial states (each (N, H)); returns the output (T, N, H) followed by the final
     * states. This one runs {@link #step} step by step; a cell with a fused recurrence overrides it.
     */
    Tensor[] recurrence(Tensor xw, Tensor[] state, Parameter[] p, boolean reverse) {
        int steps = xw.size(0);
        Tensor[] hs = new Tensor[steps];
        for (int k = 0; k < steps; k++) {
            int t = reverse ? steps - 1 - k : k;
            state = step(xw.select(0, t), state, p);
            hs[t] = state[0];
        }
        Tensor[] r = new Tensor[1 + state.length];
        r[0] = Tensor.stack(Arrays.asList(hs), 0);
        System.arraycopy(state, 0, r, 1, state.length);
        return r;
    }

    /** The number of state tensors: 2 for LSTM (h, c), 1 for GRU (h). */
    abstract int stateCount();

    /**
     * Runs the layers: {@code input} as given by the user, {@code initial} the state tensors (each
     * (D·num_layers, N, H), unbatched (D·num_layers, H)) or null for zeros; returns the output followed by
     * the final states, in the user's layout.
     */
    List<Tensor> run(String mode, Tensor input, List<Tensor> initial) {
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException(mode + ": Expected input to be 2-D or 3-D but received " + input.dim()
                    + "-D tensor");
        }
        if (input.size(-1) != inputSize) {
            throw new IllegalArgumentException("input.size(-1) must be equal to input_size. Expected " + inputSize
                    + ", got " + input.size(-1));
        }
        boolean batched = input.dim() == 3;
        Tensor x = batched ? (batchFirst ? input.transpose(0, 1) : input) : input.unsqueeze(1); // (T, N, in)
        int steps = x.size(0), n = x.size(1), dirs = directions();
        int[] stateShape = {numLayers * dirs, n, hiddenSize};
        List<Tensor> states = new ArrayList<>();
        for (int s = 0; s < stateCount(); s++) {
            Tensor h0 = initial == null ? Tensor.zeros(stateShape) : initial.get(s);
            if (initial != null && !batched) {
                h0 = checkState(mode, s, h0, new int[] {numLayers * dirs, hiddenSize}).unsqueeze(1);
            }
            states.add(checkState(mode, s, h0, stateShape));
        }
        List<List<Tensor>> finals = new ArrayList<>();
        for (int s = 0; s < stateCount(); s++) {
            finals.add(new ArrayList<>());
        }
        Tensor layerInput = x;
        for (int layer = 0; layer < numLayers; layer++) {
            if (layer > 0 && dropout > 0) {
                layerInput = F.dropout(layerInput, dropout, isTraining(), generator());
            }
            List<Tensor> outs = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                int idx = layer * dirs + d;
                Parameter[] p = cells.get(idx);
                // The input projection of every step at once: (T·N, in) · W_ihᵀ + b_ih.
                Tensor xw = F.linear(layerInput.reshape(steps * n, layerInput.size(2)), p[0], p[2])
                        .view(steps, n, gates * hiddenSize);
                Tensor[] state = new Tensor[stateCount()];
                for (int s = 0; s < state.length; s++) {
                    state[s] = states.get(s).select(0, idx);
                }
                Tensor[] r = recurrence(xw, state, p, d == 1);
                outs.add(r[0]);
                for (int s = 0; s < state.length; s++) {
                    finals.get(s).add(r[1 + s]);
                }
            }
            layerInput = dirs == 1 ? outs.get(0) : Tensor.cat(outs, 2);
        }
        Tensor output = batched ? (batchFirst ? layerInput.transpose(0, 1) : layerInput) : layerInput.squeeze(1);
        List<Tensor> result = new ArrayList<>();
        result.add(output);
        for (List<Tensor> f : finals) {
            Tensor hn = Tensor.stack(f, 0);
            result.add(batched ? hn : hn.squeeze(1));
        }
        return result;
    }

    private Tensor checkState(String mode, int s, Tensor h, int[] want) {
        if (!Arrays.equals(h.shape(), want)) {
            String which = stateCount() == 1 ? "hidden" : "hidden[" + s + "]";
            throw new IllegalArgumentException("Expected " + which + " size " + tuple(want) + ", got "
                    + Arrays.toString(h.shape()));
        }
        return h;
    }

    private static String tuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(")").toString();
    }

    /** The hidden-state product of one step: {@code h · W_hhᵀ + b_hh}. */
    static Tensor hiddenProjection(Tensor h, Parameter[] p) {
        return F.linear(h, p[1], p[3]);
    }

    /** PyTorch's {@code extra_repr}: sizes, then the options that differ from the defaults. */
    @Override
    public String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (numLayers != 1) {
            sb.append(", num_layers=").append(numLayers);
        }
        if (!bias) {
            sb.append(", bias=False");
        }
        if (batchFirst) {
            sb.append(", batch_first=True");
        }
        if (dropout != 0) {
            sb.append(", dropout=").append(PyRepr.pyFloat(dropout));
        }
        if (bidirectional) {
            sb.append(", bidirectional=True");
        }
        return sb.toString();
    }
}
