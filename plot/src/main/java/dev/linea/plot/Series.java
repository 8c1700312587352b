package dev.linea.plot;

import java.util.Objects;

/**
 * One named line of a {@link LineChart}. Non-finite values are kept: the chart leaves a gap there.
 *
 * @param name legend text
 * @param x x values
 * @param y y values, as many as {@code x}
 */
public record Series(String name, double[] x, double[] y) {

    /** Copies the arrays so later changes by the caller cannot alter the chart. */
    public Series {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': x has " + x.length
                    + " values but y has " + y.length);
        }
        x = x.clone();
        y = y.clone();
    }

    /** A series over epochs 1, 2, ..., {@code y.length}. */
    public static Series perEpoch(String name, double[] y) {
        Objects.requireNonNull(y, "y");
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return new Series(name, x, y);
    }

    boolean finiteAt(int i) {
        return Double.isFinite(x[i]) && Double.isFinite(y[i]);
    }

    int finiteCount() {
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (finiteAt(i)) {
                n++;
            }
        }
        return n;
    }
}
