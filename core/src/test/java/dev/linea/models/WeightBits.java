package dev.linea.models;

import dev.linea.Tensor;
import dev.linea.nn.Module;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A model's weights reduced to one line per state-dict entry: shape, a hash of every float's bit pattern,
 * and the first and last bit patterns. Equal lines mean bitwise equal weights (with overwhelming likelihood
 * for the hash, exactly for the two ends).
 */
final class WeightBits {
    private WeightBits() {}

    static Map<String, String> of(Module model) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            float[] v = e.getValue().toFloatArray();
            int[] bits = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                bits[i] = Float.floatToRawIntBits(v[i]);
            }
            out.put(e.getKey(), String.format(Locale.ROOT, "%s hash=%d first=0x%08x last=0x%08x",
                    Arrays.toString(e.getValue().shape()), Arrays.hashCode(bits), bits[0], bits[bits.length - 1]));
        }
        return out;
    }
}
