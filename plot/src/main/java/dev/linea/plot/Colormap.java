package dev.linea.plot;

import java.awt.Color;

/** A colour ramp sampled by linear interpolation between evenly spaced stops. */
final class Colormap {
    /** ColorBrewer "Blues": white to dark blue, for fractions in [0, 1]. */
    static final Colormap BLUES = new Colormap(0xF7FBFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6,
            0x2171B5, 0x08519C, 0x08306B);

    /** ColorBrewer "RdBu" reversed: blue (0) through near-white (0.5) to red (1), for signed values. */
    static final Colormap BLUE_WHITE_RED = new Colormap(0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7,
            0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B);

    private final int[] stops;

    private Colormap(int... stops) {
        this.stops = stops;
    }

    /** The colour at {@code t}, clamped to [0, 1]; NaN maps to 0. */
    int rgb(double t) {
        if (!(t > 0)) {
            return stops[0];
        }
        if (t >= 1) {
            return stops[stops.length - 1];
        }
        double pos = t * (stops.length - 1);
        int i = (int) pos;
        double f = pos - i;
        int a = stops[i];
        int b = stops[i + 1];
        return mix(a >> 16 & 0xFF, b >> 16 & 0xFF, f) << 16
                | mix(a >> 8 & 0xFF, b >> 8 & 0xFF, f) << 8
                | mix(a & 0xFF, b & 0xFF, f);
    }

    Color color(double t) {
        return new Color(rgb(t));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
