package dev.linea.nn;

import dev.linea.Tensor;

import java.util.List;

/** Modules applied in order; children are named {@code 0, 1, 2, ...} as in PyTorch. */
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
        Tensor x = input;
        for (Module m : layers) {
            x = m.forward(x);
        }
        return x;
    }
}
