package dev.linea;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Prints tensors the way PyTorch does: four decimals (or scientific notation when magnitudes differ by
 * more than 1000× or leave [1e-4, 1e8)), whole numbers as {@code 3.}, common width per tensor, rows
 * wrapped at 80 columns, and tensors of more than 1000 elements summarised with {@code ...} after three
 * leading and three trailing items. Int64 tensors print as integers ({@code tensor([3, 1])}), bool ones as
 * {@code True}/{@code False}; an empty tensor that is not float32 names its dtype, as PyTorch's.
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
            if (t.dtype() != DType.FLOAT32) {
                suffixes.add("dtype=" + t.dtype()); // nothing to infer it from, so PyTorch names it
            }
        } else if (t.dtype() != DType.FLOAT32) {
            boolean summarize = n > THRESHOLD;
            String[] cells;
            if (t.dtype() == DType.INT64) {
                long[] v = t.toLongArray();
                cells = new String[v.length];
                for (int i = 0; i < v.length; i++) {
                    cells[i] = Long.toString(v[i]);
                }
            } else {
                float[] v = t.toFloatArray();
                cells = new String[v.length];
                for (int i = 0; i < v.length; i++) {
                    cells[i] = v[i] != 0 ? "True" : "False";
                }
            }
            int[] shownAt = shownIndices(t.shape(), summarize);
            int w = 0;
            for (int i : shownAt) {
                w = Math.max(w, cells[i].length());
            }
            int width = w;
            sb.append(body(t.shape(), prefix.length(), summarize, width,
                    i -> " ".repeat(width - cells[i].length()) + cells[i]));
        } else {
            float[] v = t.toFloatArray();
            boolean summarize = n > THRESHOLD;
            Style style = Style.of(shownValues(v, t.shape(), summarize));
            sb.append(body(t.shape(), prefix.length(), summarize, style.width, i -> style.format(v[i])));
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
        int[] at = shownIndices(shape, true);
        float[] out = new float[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = v[at[i]];
        }
        return out;
    }

    /** The row-major positions of the values that will be printed. */
    private static int[] shownIndices(int[] shape, boolean summarize) {
        int rank = shape.length;
        int[][] idx = new int[rank][];
        int count = 1;
        for (int d = 0; d < rank; d++) {
            idx[d] = indices(shape[d], summarize);
            count *= idx[d].length;
        }
        int[] stride = strides(shape);
        int[] out = new int[count];
        // An odometer over the shown indices, last dimension fastest: no recursion, whatever the rank.
        int[] k = new int[rank];
        for (int n = 0; n < count; n++) {
            int at = 0;
            for (int d = 0; d < rank; d++) {
                at += idx[d][k[d]] * stride[d];
            }
            out[n] = at;
            for (int d = rank - 1; d >= 0 && ++k[d] == idx[d].length; d--) {
                k[d] = 0;
            }
        }
        return out;
    }

    private static int[] strides(int[] shape) {
        int[] stride = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= shape[d];
        }
        return stride;
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

    /**
     * The nested brackets, written into one builder with an explicit stack rather than by recursion, so a
     * tensor of any rank prints (a rank-5000 one overflowed the stack) in time and space linear in the output.
     */
    private static String body(int[] shape, int indent, boolean summarize, int width, IntFunction<String> cell) {
        int rank = shape.length;
        if (rank == 0) {
            return cell.apply(0).strip();
        }
        int[] stride = strides(shape);
        int[][] idx = new int[rank][];
        boolean[] elide = new boolean[rank];
        for (int d = 0; d < rank; d++) {
            idx[d] = indices(shape[d], summarize);
            elide[d] = summarize && shape[d] > 2 * EDGE;
        }
        StringBuilder sb = new StringBuilder();
        int[] part = new int[rank]; // the next part of each open dimension; with elision, part EDGE is "..."
        int[] base = new int[rank];
        int d = 0;
        sb.append('[');
        while (true) {
            if (d == rank - 1) {
                row(sb, base[d], idx[d], elide[d], indent + d, width, cell);
            } else {
                int parts = idx[d].length + (elide[d] ? 1 : 0);
                if (part[d] < parts) {
                    if (part[d] > 0) {
                        // Dimension d's separator: a comma, a blank line per dimension below, the indent.
                        sb.append(',').repeat('\n', rank - d - 1).repeat(' ', indent + d + 1);
                    }
                    int p = part[d]++;
                    if (elide[d] && p == EDGE) {
                        sb.append("...");
                        continue;
                    }
                    int i = elide[d] && p > EDGE ? p - 1 : p;
                    base[d + 1] = base[d] + idx[d][i] * stride[d];
                    part[++d] = 0;
                    sb.append('[');
                    continue;
                }
            }
            sb.append(']');
            if (d-- == 0) {
                return sb.toString();
            }
        }
    }

    /** The innermost dimension's items, wrapped to the line width; {@code indent} is its bracket's column. */
    private static void row(StringBuilder sb, int base, int[] idx, boolean elide, int indent, int width,
            IntFunction<String> cell) {
        int perLine = Math.max(1, (LINE_WIDTH - indent) / (width + 2));
        int item = 0;
        for (int k = 0; k < idx.length; k++) {
            if (elide && k == EDGE) {
                item = separate(sb, item, perLine, indent);
                sb.append(" ...");
            }
            item = separate(sb, item, perLine, indent);
            sb.append(cell.apply(base + idx[k]));
        }
    }

    /** Writes what goes before item number {@code item} of a row: nothing, ", " or a line break. */
    private static int separate(StringBuilder sb, int item, int perLine, int indent) {
        if (item > 0) {
            if (item % perLine == 0) {
                sb.append(",\n").repeat(' ', indent + 1);
            } else {
                sb.append(", ");
            }
        }
        return item + 1;
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
                // As PyTorch's _Formatter: whole numbers too switch to scientific past a 1000x spread.
                mode = maxAbs / minAbs > 1000 || maxAbs > 1e8 ? Mode.SCI : Mode.INT;
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
