package dev.linea.internal;

import java.util.Locale;

/** Python's spellings, for the printed forms that must match PyTorch's ({@code extra_repr}). */
public final class PyRepr {
    private PyRepr() {}

    /** Python's repr of a float, for extraRepr ({@code 0.5}, {@code 0.01}, {@code 1e-05}). */
    public static String pyFloat(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e16) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        String s = Float.toString((float) v);
        if (s.contains("E")) {
            String[] parts = s.split("E");
            int e = Integer.parseInt(parts[1]);
            String mant = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
            return mant + "e" + (e < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(e));
        }
        return s;
    }
}
