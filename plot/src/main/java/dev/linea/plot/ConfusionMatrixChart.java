package dev.linea.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A confusion matrix: rows are true classes, columns predicted classes. Each cell is shaded by its share of
 * its row (so rare classes read as well as common ones) and shows its count in black or white, whichever
 * contrasts. The title carries the overall accuracy. The image size follows from the number of classes.
 *
 * <pre>{@code
 * new ConfusionMatrixChart(counts, FashionMnist.CLASS_NAMES).write(Path.of("confusion.png"));
 * }</pre>
 */
public final class ConfusionMatrixChart {
    private static final int MAX_LABEL_WIDTH = 110;
    private static final int COLORBAR_WIDTH = 14;
    private static final Color ZERO_TEXT = new Color(0xB0B0B0);

    private final int[][] counts;
    private final String[] names;
    private String title = "Confusion matrix";

    /**
     * @param counts {@code counts[t][p]}: how many examples of true class {@code t} were predicted as {@code p}
     * @param classNames one name per class, or {@code null} for "0", "1", ...
     * @throws IllegalArgumentException if {@code counts} is empty or not square, a count is negative, or the
     *     number of names differs from the number of classes
     */
    public ConfusionMatrixChart(int[][] counts, String[] classNames) {
        Objects.requireNonNull(counts, "counts");
        int n = counts.length;
        if (n == 0) {
            throw new IllegalArgumentException("confusion matrix has no classes");
        }
        this.counts = new int[n][];
        for (int i = 0; i < n; i++) {
            if (counts[i] == null || counts[i].length != n) {
                throw new IllegalArgumentException("confusion matrix must be square: " + n + " rows but row "
                        + i + " has " + (counts[i] == null ? 0 : counts[i].length) + " columns");
            }
            for (int c : counts[i]) {
                if (c < 0) {
                    throw new IllegalArgumentException("negative count " + c + " in row " + i);
                }
            }
            this.counts[i] = counts[i].clone();
        }
        if (classNames != null && classNames.length != n) {
            throw new IllegalArgumentException("confusion matrix has " + n + " classes but " + classNames.length
                    + " class names were given");
        }
        this.names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = classNames == null || classNames[i] == null ? Integer.toString(i) : classNames[i];
        }
    }

    /** Replaces the title text ("Confusion matrix"); the accuracy is appended to it. */
    public ConfusionMatrixChart title(String title) {
        this.title = Objects.requireNonNullElse(title, "");
        return this;
    }

    /** Correct predictions over all predictions, or NaN when the matrix is all zeros. */
    public double accuracy() {
        long correct = 0;
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts.length; j++) {
                total += counts[i][j];
                if (i == j) {
                    correct += counts[i][j];
                }
            }
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Renders the chart into a new image sized to the number of classes. */
    public BufferedImage render() {
        Layout l = layout();
        return Style.render(l.width, l.height, g -> draw(g, l));
    }

    /** Renders the chart and writes it as a PNG file, atomically. */
    public void write(Path file) throws IOException {
        Png.write(render(), file);
    }

    /**
     * Where things go. {@code left}/{@code top} is the matrix corner; labels are abbreviated to fit.
     */
    record Layout(int width, int height, int left, int top, int cell, boolean rotate, String[] labels,
            String fullTitle) {
        Rectangle cellBounds(int row, int col) {
            return new Rectangle(left + col * cell, top + row * cell, cell, cell);
        }
    }

    Layout layout() {
        int n = counts.length;
        int cell = Math.clamp(Math.round(520f / n), 14, 56);
        // A throwaway context: font metrics are needed before the image size is known.
        Graphics2D g = Style.graphics(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
        g.setFont(Style.TICK);
        String[] labels = new String[n];
        int labelWidth = 0;
        for (int i = 0; i < n; i++) {
            labels[i] = Style.fit(g, names[i], MAX_LABEL_WIDTH);
            labelWidth = Math.max(labelWidth, (int) Math.ceil(Style.width(g, labels[i])));
        }
        FontMetrics tick = g.getFontMetrics(Style.TICK);
        FontMetrics label = g.getFontMetrics(Style.LABEL);
        FontMetrics titleFm = g.getFontMetrics(Style.TITLE);
        boolean rotate = labelWidth > cell - 6;
        // A 45-degree label occupies labelWidth*cos45 horizontally and vertically, plus its own height.
        int xLabelsHeight = rotate ? (int) Math.ceil((labelWidth + tick.getAscent()) * Math.sqrt(0.5)) + 4
                : tick.getHeight();
        int rotatedOverhang = rotate ? (int) Math.ceil(labelWidth * Math.sqrt(0.5)) - cell / 2 : 0;
        int left = 16 + label.getHeight() + 8 + Math.max(labelWidth + 8, rotatedOverhang);
        int top = 16 + titleFm.getHeight() + 14;
        int grid = cell * n;
        int width = left + grid + 20 + COLORBAR_WIDTH + 6 + tick.stringWidth("100%") + 16;
        int height = top + grid + 8 + xLabelsHeight + 8 + label.getHeight() + 14;
        String fullTitle = fullTitle();
        width = Math.max(width, (int) Math.ceil(Style.width(withFont(g, Style.TITLE), fullTitle)) + 40);
        g.dispose();
        return new Layout(width, height, left, top, cell, rotate, labels, fullTitle);
    }

    private String fullTitle() {
        double acc = accuracy();
        long total = 0;
        long correct = 0;
        for (int i = 0; i < counts.length; i++) {
            correct += counts[i][i];
            for (int c : counts[i]) {
                total += c;
            }
        }
        String accText = Double.isNaN(acc) ? "no examples"
                : String.format(Locale.ROOT, "accuracy %.2f%% (%d / %d)", 100 * acc, correct, total);
        return title.isEmpty() ? accText : title + " \u2014 " + accText;
    }

    private static Graphics2D withFont(Graphics2D g, Font f) {
        g.setFont(f);
        return g;
    }

    private void draw(Graphics2D g, Layout l) {
        int n = counts.length;
        int grid = l.cell * n;

        g.setColor(Style.TEXT);
        g.setFont(Style.TITLE);
        Style.centered(g, l.fullTitle, l.width / 2.0, 16 + g.getFontMetrics().getAscent());

        drawCells(g, l);

        g.setColor(Style.AXIS);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(l.left, l.top, grid, grid);

        // Class names: true classes down the left, predicted classes along the bottom.
        g.setFont(Style.TICK);
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Style.TEXT);
        for (int i = 0; i < n; i++) {
            Style.rightAligned(g, l.labels[i], l.left - 8, l.top + (i + 0.5) * l.cell);
            double cx = l.left + (i + 0.5) * l.cell;
            if (l.rotate) {
                // Text ends just below its column and runs down-left, like matplotlib's rotation=45, ha=right.
                double w = Style.width(g, l.labels[i]);
                AffineTransform saved = g.getTransform();
                g.translate(cx + fm.getAscent() * 0.35, l.top + grid + 8);
                g.rotate(-Math.PI / 4);
                g.drawString(l.labels[i], (float) -w, fm.getAscent() * 0.5f);
                g.setTransform(saved);
            } else {
                Style.centered(g, l.labels[i], cx, l.top + grid + 6 + fm.getAscent());
            }
        }

        g.setFont(Style.LABEL);
        FontMetrics lf = g.getFontMetrics();
        Style.centered(g, "Predicted", l.left + grid / 2.0, l.height - 14 - lf.getDescent());
        Style.rotatedCentered(g, "True", 16 + lf.getHeight() / 2.0, l.top + grid / 2.0, -Math.PI / 2);

        drawColorbar(g, l);
    }

    private void drawCells(Graphics2D g, Layout l) {
        int n = counts.length;
        // Largest font that fits the widest count, down to 9px; below that the cells stay unlabelled.
        int maxCount = 0;
        for (int[] row : counts) {
            for (int c : row) {
                maxCount = Math.max(maxCount, c);
            }
        }
        Font countFont = null;
        for (int size = 13; size >= 9; size--) {
            Font f = new Font(Font.SANS_SERIF, Font.PLAIN, size);
            g.setFont(f);
            if (Style.width(g, Integer.toString(maxCount)) <= l.cell - 6 && g.getFontMetrics().getAscent() <= l.cell - 4) {
                countFont = f;
                break;
            }
        }
        for (int i = 0; i < n; i++) {
            long rowTotal = 0;
            for (int c : counts[i]) {
                rowTotal += c;
            }
            for (int j = 0; j < n; j++) {
                double share = rowTotal == 0 ? 0 : (double) counts[i][j] / rowTotal;
                Color fill = Colormap.BLUES.color(share);
                Rectangle r = l.cellBounds(i, j);
                g.setColor(fill);
                g.fill(r);
                if (countFont != null) {
                    g.setFont(countFont);
                    // Zeros in light gray so the real confusions stand out.
                    g.setColor(Style.luminance(fill) < 0.5 ? Color.WHITE
                            : counts[i][j] == 0 ? ZERO_TEXT : Style.TEXT);
                    FontMetrics fm = g.getFontMetrics();
                    Style.centered(g, Integer.toString(counts[i][j]), r.getCenterX(),
                            r.getCenterY() + (fm.getAscent() - fm.getDescent()) / 2.0);
                }
            }
        }
    }

    private void drawColorbar(Graphics2D g, Layout l) {
        int grid = l.cell * counts.length;
        int x = l.left + grid + 20;
        // Drawn in strips: a GradientPaint could only interpolate two of the colormap's stops.
        for (int y = 0; y < grid; y++) {
            g.setColor(Colormap.BLUES.color(1 - (double) y / Math.max(1, grid - 1)));
            g.fillRect(x, l.top + y, COLORBAR_WIDTH, 1);
        }
        g.setColor(Style.AXIS);
        g.drawRect(x, l.top, COLORBAR_WIDTH, grid);
        g.setFont(Style.SMALL);
        g.setColor(Style.MUTED_TEXT);
        for (int pct = 0; pct <= 100; pct += 50) {
            double y = l.top + grid - pct / 100.0 * grid;
            g.drawLine(x + COLORBAR_WIDTH, (int) y, x + COLORBAR_WIDTH + 3, (int) y);
            Style.rightAligned(g, pct + "%", x + COLORBAR_WIDTH + 6 + Style.width(g, pct + "%"), y);
        }
    }
}
