package dev.linea;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints tensors the way PyTorch does: four decimals (or scientific notation when magnitudes differ by
 * more than 1000× or leave [1e-4, 1e8)), whole numbers as {@code 3.}, common width per tensor, rows
 * wrapped at 80 columns, and tensors of more than 1000 elements summarised with {@code ...} after three
 * leading and three trailing items.
 */
final class TensorFormatter {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;
    private static final int LINE_WIDTH = 80;

    private TensorFormatter() {}

    static String format(Tensor t) {
        String prefix = "tensor(";
        StringBuilder sb = new StringBuilder(prefix);
        int n = t.numel();
        List<String> suffixes = new ArrayList<>();
        if (n == 0) {
            sb.append("[]");
            if (t.dim() != 1) {
                suffixes.add("size=" + sizeTuple(t.shape()));
            }
        } else {
            float[] v = t.toFloatArray();
            boolean summarize = n > THRESHOLD;
            Style style = Style.of(shownValues(v, t.shape(), summarize));
            sb.append(body(v, 0, t.shape(), 0, prefix.length(), summarize, style));
        }
        if (t.gradFnName() != null) {
            suffixes.add("grad_fn=<" + t.gradFnName() + ">");
        } else if (t.requiresGrad()) {
            suffixes.add("requires_grad=True");
        }
        // PyTorch's _add_suffixes: a suffix that would pass the line width goes on its own line.
        int lastLineLength = sb.length() - sb.lastIndexOf("\n") + 1;
        for (String suffix : suffixes) {
            if (lastLineLength + suffix.length() + 2 > LINE_WIDTH) {
                sb.append(",\n").append(" ".repeat(prefix.length())).append(suffix);
                lastLineLength = prefix.length() + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLineLength += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    private static String sizeTuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** The values that will actually be printed (PyTorch sizes the format on those only). */
    private static float[] shownValues(float[] v, int[] shape, boolean summarize) {
        if (!summarize) {
            return v;
        }
        List<Float> out = new ArrayList<>();
        collect(v, 0, shape, 0, out);
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = out.get(i);
        }
        return r;
    }

    private static void collect(float[] v, int base, int[] shape, int d, List<Float> out) {
        if (d == shape.length) {
            out.add(v[base]);
            return;
        }
        int stride = 1;
        for (int i = d + 1; i < shape.length; i++) {
            stride *= shape[i];
        }
        for (int i : indices(shape[d], true)) {
            collect(v, base + i * stride, shape, d + 1, out);
        }
    }

    private static int[] indices(int size, boolean summarize) {
        if (summarize && size > 2 * EDGE) {
            int[] r = new int[2 * EDGE];
            for (int i = 0; i < EDGE; i++) {
                r[i] = i;
                r[EDGE + i] = size - EDGE + i;
            }
            return r;
        }
        int[] r = new int[size];
        for (int i = 0; i < size; i++) {
            r[i] = i;
        }
        return r;
    }

    private static String body(float[] v, int base, int[] shape, int d, int indent, boolean summarize, Style style) {
        if (shape.length == 0) {
            return style.format(v[base]).strip();
        }
        int stride = 1;
        for (int i = d + 1; i < shape.length; i++) {
            stride *= shape[i];
        }
        boolean elide = summarize && shape[d] > 2 * EDGE;
        int[] idx = indices(shape[d], summarize);
        if (d == shape.length - 1) {
            List<String> items = new ArrayList<>();
            for (int k = 0; k < idx.length; k++) {
                if (elide && k == EDGE) {
                    items.add(" ...");
                }
                items.add(style.format(v[base + idx[k]]));
            }
            int perLine = Math.max(1, (LINE_WIDTH - indent) / (style.width + 2));
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < items.size(); i += perLine) {
                lines.add(String.join(", ", items.subList(i, Math.min(items.size(), i + perLine))));
            }
            return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
        }
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < idx.length; k++) {
            if (elide && k == EDGE) {
                parts.add("...");
            }
            parts.add(body(v, base + idx[k] * stride, shape, d + 1, indent + 1, summarize, style));
        }
        String sep = "," + "\n".repeat(shape.length - d - 1) + " ".repeat(indent + 1);
        return "[" + String.join(sep, parts) + "]";
    }

    /** How numbers of one tensor are written, and the common width. */
    private record Style(Mode mode, int width) {
        enum Mode { INT, FIXED, SCI }

        static Style of(float[] values) {
            boolean allInt = true;
            double maxAbs = 0, minAbs = Double.POSITIVE_INFINITY;
            boolean anyFinite = false;
            for (float x : values) {
                if (!Float.isFinite(x)) {
                    continue;
                }
                anyFinite = true;
                if (x != Math.rint(x)) {
                    allInt = false;
                }
                double a = Math.abs(x);
                if (a != 0) {
                    maxAbs = Math.max(maxAbs, a);
                    minAbs = Math.min(minAbs, a);
                }
            }
            Mode mode;
            if (!anyFinite || allInt) {
                mode = maxAbs > 1e8 ? Mode.SCI : Mode.INT;
            } else if (maxAbs == 0) {
                mode = Mode.FIXED;
            } else {
                mode = maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4 ? Mode.SCI : Mode.FIXED;
            }
            Style probe = new Style(mode, 0);
            int w = 0;
            for (float x : values) {
                w = Math.max(w, probe.raw(x).length());
            }
            return new Style(mode, w);
        }

        String raw(float x) {
            if (Float.isNaN(x)) {
                return "nan";
            }
            if (Float.isInfinite(x)) {
                return x > 0 ? "inf" : "-inf";
            }
            return switch (mode) {
                case INT -> String.format(Locale.ROOT, "%.0f", x) + ".";
                case FIXED -> String.format(Locale.ROOT, "%.4f", x);
                case SCI -> sci(x);
            };
        }

        /** Python's {@code {:.4e}}: two-digit exponent with sign. */
        private static String sci(float x) {
            String s = String.format(Locale.ROOT, "%.4e", x);
            int e = s.indexOf('e');
            String mant = s.substring(0, e);
            String exp = s.substring(e + 1);
            char sign = exp.charAt(0) == '-' ? '-' : '+';
            String digits = exp.replaceFirst("^[+-]", "");
            if (digits.length() < 2) {
                digits = "0" + digits;
            }
            return mant + "e" + sign + digits;
        }

        String format(float x) {
            String r = raw(x);
            return " ".repeat(Math.max(0, width - r.length())) + r;
        }
    }
}
