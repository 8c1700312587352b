package dev.linea.nn;

import dev.linea.Tensor;

import java.util.List;

/**
 * Modules applied in order, each to the previous one's output; children are named {@code 0, 1, 2, ...} as in
 * PyTorch.
 */
public class Sequential extends Module {
    private final List<Module> layers;

    public Sequential(Module... layers) {
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) {
            registerModule(Integer.toString(i), layers[i]);
        }
    }

    /** The i-th layer. */
    public Module get(int i) {
        return layers.get(i);
    }

    /** The number of layers. */
    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor input) {
        List<Tensor> out = forward(List.of(input));
        if (out.size() != 1) {
            throw new IllegalStateException("Sequential: the last module (" + layers.getLast().getClass().getSimpleName()
                    + ") returned " + out.size() + " tensors; call forward(List) to get them all");
        }
        return out.get(0);
    }

    /**
     * Passes what each module returns to the next, as PyTorch's Sequential passes a tuple on: a module
     * returning several tensors (an LSTM's output and state) must be followed by one that takes them, or be last.
     */
    @Override
    public List<Tensor> forward(List<Tensor> inputs) {
        List<Tensor> x = inputs;
        for (Module m : layers) {
            x = m.forward(x);
        }
        return x;
    }
}
