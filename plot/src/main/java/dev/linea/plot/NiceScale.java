package dev.linea.plot;

import java.util.Locale;

/**
 * Axis ticks at "nice" values (1, 2 or 5 times a power of ten), after Heckbert's "Nice numbers for graph
 * labels" (Graphics Gems, 1990).
 *
 * @param min lower end of the axis
 * @param max upper end of the axis
 * @param step distance between ticks; ticks are the multiples of it within [min, max]
 */
record NiceScale(double min, double max, double step) {

    /**
     * Like {@link #of}, but the axis hugs the data with a small margin instead of growing to whole ticks: for
     * epochs 1..12 the axis runs from about 0.7 to 12.3 rather than 0 to 15.
     */
    static NiceScale tight(double lo, double hi, int maxTicks, boolean integers) {
        NiceScale s = of(lo, hi, maxTicks, integers);
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo == hi) {
            return s;
        }
        double pad = 0.03 * Math.abs(hi - lo);
        return new NiceScale(Math.min(lo, hi) - pad, Math.max(lo, hi) + pad, s.step);
    }

    /**
     * Ticks covering [{@code lo}, {@code hi}] with at most about {@code maxTicks} ticks. A degenerate range
     * (a constant series, a single point) is widened around its value; a non-finite one becomes [0, 1].
     * With {@code integers} the step is at least 1, for epoch numbers.
     */
    static NiceScale of(double lo, double hi, int maxTicks, boolean integers) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            lo = 0;
            hi = 1;
        }
        if (hi < lo) {
            double t = lo;
            lo = hi;
            hi = t;
        }
        if (hi == lo) {
            double pad = integers ? 1 : (lo == 0 ? 1 : Math.abs(lo) * 0.1);
            lo -= pad;
            hi += pad;
        }
        // Heckbert first rounds the range to a nice number and then rounds the step to the nearest nice one;
        // that can give 4 ticks or 10. Taking the smallest nice step not below range/(maxTicks-1) keeps the
        // count within maxTicks (plus one for the outward rounding).
        double step = nice((hi - lo) / Math.max(1, maxTicks - 1), false);
        if (integers && step < 1) {
            step = 1;
        }
        double min = Math.floor(lo / step + 1e-9) * step;
        double max = Math.ceil(hi / step - 1e-9) * step;
        return new NiceScale(min, max, step);
    }

    /** Heckbert's nice number near {@code x}: rounded to the nearest, or the smallest not below it. */
    static double nice(double x, boolean round) {
        double exp = Math.floor(Math.log10(x));
        double f = x / Math.pow(10, exp);
        double nf;
        if (round) {
            nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        } else {
            nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        }
        return nf * Math.pow(10, exp);
    }

    /** The tick values, computed by multiplication so rounding errors do not accumulate. */
    double[] ticks() {
        long first = (long) Math.ceil(min / step - 1e-9);
        long last = (long) Math.floor(max / step + 1e-9);
        int n = (int) Math.max(0, last - first + 1);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            double v = (first + i) * step;
            t[i] = Math.abs(v) < step * 1e-9 ? 0 : v; // no "-0.0" labels
        }
        return t;
    }

    /** A tick label with just enough decimals for the step. */
    String format(double v) {
        double mag = Math.max(Math.abs(min), Math.abs(max));
        if (mag >= 1e6 || (mag > 0 && mag < 1e-4)) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Position of {@code v} as a fraction of the axis length. */
    double fraction(double v) {
        return (v - min) / (max - min);
    }
}
