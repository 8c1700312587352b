package dev.linea.internal;

import java.util.Arrays;

/** Int-or-pair arguments of the 2-D layers ({@code kernel_size=3} or {@code (3, 5)}), checked and printed as in PyTorch. */
public final class Pairs {
    private Pairs() {}

    /** {@code (v, v)}. */
    public static int[] of(int v) {
        return new int[] {v, v};
    }

    /** A checked copy of a pair; every value at least {@code min}. */
    public static int[] check(String what, int[] pair, int min) {
        if (pair == null || pair.length != 2) {
            throw new IllegalArgumentException(what + " must have 2 values (height, width), got "
                    + (pair == null ? "null" : Arrays.toString(pair)));
        }
        if (pair[0] < min || pair[1] < min) {
            throw new IllegalArgumentException(what + " must be " + (min == 0 ? "non-negative" : "positive")
                    + ", got " + str(pair));
        }
        return pair.clone();
    }

    /** Python's tuple repr: {@code (3, 3)}. */
    public static String str(int[] pair) {
        return "(" + pair[0] + ", " + pair[1] + ")";
    }

    /** PyTorch's pooling repr: the int when the layer was given an int, else the tuple. */
    public static String str(int[] pair, boolean scalar) {
        return scalar ? Integer.toString(pair[0]) : str(pair);
    }

    public static String shape(int[] shape) {
        return Arrays.toString(shape);
    }
}
