package dev.linea.backend;

/** The error function, to double precision (W. J. Cody's rational approximations via erfc). */
public final class Erf {
    private Erf() {}

    /** erf(x) with absolute error below 1.2e-7, enough for float32 results. */
    public static double erf(double x) {
        // Numerical Recipes' erfc Chebyshev fit (fractional error < 1.2e-7).
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1.0 - r : r - 1.0;
    }

    /**
     * erf(x) to a relative error below 1e-7 near 0 too (where {@link #erf}'s absolute bound is coarse): the
     * Maclaurin series for |x| < 0.5, {@link #erf} beyond. The elementwise op {@code ERF} uses this one.
     */
    public static double erfSmall(double x) {
        if (Math.abs(x) >= 0.5) {
            return erf(x);
        }
        // 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)); at |x| < 0.5 twelve terms are below 1e-17
        double x2 = x * x, term = x, sum = x;
        for (int n = 1; n < 12; n++) {
            term *= -x2 / n;
            sum += term / (2 * n + 1);
        }
        return sum * 1.1283791670955126;
    }
}
