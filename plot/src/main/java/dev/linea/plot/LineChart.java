package dev.linea.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A line chart of one or more named series, with title, axis labels, nice ticks, grid lines and a legend
 * placed in the emptiest corner. Non-finite points are skipped (the line breaks there); a single point or a
 * constant series still gets a sensible axis.
 *
 * <pre>{@code
 * new LineChart("Loss", "epoch", "loss")
 *     .add(Series.perEpoch("train", trainLoss))
 *     .add(Series.perEpoch("test", testLoss))
 *     .write(Path.of("loss.png"), 640, 420);
 * }</pre>
 */
public final class LineChart {
    /** Markers are drawn on every point up to this many points; beyond it they would clutter the line. */
    private static final int MARKER_LIMIT = 30;
    private static final int MAX_TICKS = 7;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private double yMin = Double.NaN;
    private double yMax = Double.NaN;

    /** A chart with no series yet; any of the texts may be empty. */
    public LineChart(String title, String xLabel, String yLabel) {
        this.title = Objects.requireNonNullElse(title, "");
        this.xLabel = Objects.requireNonNullElse(xLabel, "");
        this.yLabel = Objects.requireNonNullElse(yLabel, "");
    }

    /** Adds a series; colours follow the order of addition. */
    public LineChart add(Series s) {
        series.add(Objects.requireNonNull(s, "series"));
        return this;
    }

    /**
     * Adds a series from x and y arrays.
     *
     * @throws IllegalArgumentException if the lengths differ
     */
    public LineChart add(String name, double[] x, double[] y) {
        return add(new Series(name, x, y));
    }

    /** Adds a series over epochs 1..n. */
    public LineChart add(String name, double[] y) {
        return add(Series.perEpoch(name, y));
    }

    /**
     * Makes the y axis include [{@code min}, {@code max}] whatever the data, e.g. 0..1 for accuracy. The axis
     * still grows if the data goes beyond it.
     */
    public LineChart includeY(double min, double max) {
        this.yMin = min;
        this.yMax = max;
        return this;
    }

    /** Renders the chart into a new image of the given size. */
    public BufferedImage render(int width, int height) {
        return Style.render(width, height, g -> draw(g, new Rectangle(0, 0, width, height)));
    }

    /** Renders the chart and writes it as a PNG file, atomically. */
    public void write(Path file, int width, int height) throws IOException {
        Png.write(render(width, height), file);
    }

    /** Renders several charts side by side into one image, each {@code panelWidth} wide. */
    public static BufferedImage renderRow(int panelWidth, int height, LineChart... charts) {
        if (charts.length == 0) {
            throw new IllegalArgumentException("no charts to render");
        }
        return Style.render(panelWidth * charts.length, height, g -> {
            for (int i = 0; i < charts.length; i++) {
                charts[i].draw(g, new Rectangle(i * panelWidth, 0, panelWidth, height));
            }
        });
    }

    /** Draws the chart inside {@code area} of an existing graphics context. */
    public void draw(Graphics2D g, Rectangle area) {
        g.setColor(Style.BACKGROUND);
        g.fill(area);
        Rectangle plot = plotArea(g, area);
        NiceScale xs = xScale();
        NiceScale ys = yScale();

        drawTitleAndLabels(g, area, plot);
        drawGridAndTicks(g, plot, xs, ys);

        Shape savedClip = g.getClip();
        g.clip(new Rectangle(plot.x - 4, plot.y - 4, plot.width + 9, plot.height + 9)); // room for markers
        List<double[]> occupied = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            drawSeries(g, series.get(i), color(i), plot, xs, ys, occupied);
        }
        g.setClip(savedClip);

        g.setColor(Style.AXIS);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(plot.x, plot.y, plot.width, plot.height);
        drawLegend(g, plot, occupied);
    }

    /** The rectangle of the data area, after room for title, tick labels and axis labels. */
    Rectangle plotArea(Graphics2D g, Rectangle area) {
        FontMetrics title = g.getFontMetrics(Style.TITLE);
        FontMetrics label = g.getFontMetrics(Style.LABEL);
        FontMetrics tick = g.getFontMetrics(Style.TICK);
        NiceScale ys = yScale();
        int tickWidth = 0;
        for (double t : ys.ticks()) {
            tickWidth = Math.max(tickWidth, tick.stringWidth(ys.format(t)));
        }
        int top = area.y + 14 + (this.title.isEmpty() ? 0 : title.getHeight() + 8);
        int left = area.x + 14 + (yLabel.isEmpty() ? 0 : label.getHeight() + 8) + tickWidth + 8;
        int bottom = area.y + area.height - 12 - (xLabel.isEmpty() ? 0 : label.getHeight() + 4)
                - tick.getHeight() - 8;
        int right = area.x + area.width - 20;
        return new Rectangle(left, top, Math.max(1, right - left), Math.max(1, bottom - top));
    }

    private void drawTitleAndLabels(Graphics2D g, Rectangle area, Rectangle plot) {
        g.setColor(Style.TEXT);
        if (!title.isEmpty()) {
            g.setFont(Style.TITLE);
            Style.centered(g, Style.fit(g, title, area.width - 20), plot.getCenterX(),
                    area.y + 14 + g.getFontMetrics().getAscent());
        }
        g.setFont(Style.LABEL);
        FontMetrics fm = g.getFontMetrics();
        if (!xLabel.isEmpty()) {
            Style.centered(g, Style.fit(g, xLabel, plot.width), plot.getCenterX(),
                    area.y + area.height - 12 - fm.getDescent());
        }
        if (!yLabel.isEmpty()) {
            Style.rotatedCentered(g, Style.fit(g, yLabel, plot.height), area.x + 14 + fm.getHeight() / 2.0,
                    plot.getCenterY(), -Math.PI / 2);
        }
    }

    private static void drawGridAndTicks(Graphics2D g, Rectangle plot, NiceScale xs, NiceScale ys) {
        g.setFont(Style.TICK);
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (double t : xs.ticks()) {
            double px = plot.x + xs.fraction(t) * plot.width;
            g.setColor(Style.GRID);
            g.draw(new Line2D.Double(px, plot.y, px, plot.y + plot.height));
            g.setColor(Style.AXIS);
            g.draw(new Line2D.Double(px, plot.y + plot.height, px, plot.y + plot.height + 4));
            g.setColor(Style.MUTED_TEXT);
            Style.centered(g, xs.format(t), px, plot.y + plot.height + 6 + fm.getAscent());
        }
        for (double t : ys.ticks()) {
            double py = plot.y + plot.height - ys.fraction(t) * plot.height;
            g.setColor(Style.GRID);
            g.draw(new Line2D.Double(plot.x, py, plot.x + plot.width, py));
            g.setColor(Style.AXIS);
            g.draw(new Line2D.Double(plot.x - 4, py, plot.x, py));
            g.setColor(Style.MUTED_TEXT);
            Style.rightAligned(g, ys.format(t), plot.x - 7, py);
        }
    }

    /** Draws one series, breaking the line at non-finite points, and records its pixels for the legend. */
    private static void drawSeries(Graphics2D g, Series s, Color color, Rectangle plot, NiceScale xs,
            NiceScale ys, List<double[]> occupied) {
        double[] x = s.x();
        double[] y = s.y();
        boolean markers = s.finiteCount() <= MARKER_LIMIT;
        Path2D.Double path = new Path2D.Double();
        List<double[]> dots = new ArrayList<>();
        boolean penDown = false;
        double lastX = 0;
        double lastY = 0;
        for (int i = 0; i < x.length; i++) {
            if (!s.finiteAt(i)) {
                penDown = false;
                continue;
            }
            double px = plot.x + xs.fraction(x[i]) * plot.width;
            double py = plot.y + plot.height - ys.fraction(y[i]) * plot.height;
            boolean isolated = !(i > 0 && s.finiteAt(i - 1)) && !(i + 1 < x.length && s.finiteAt(i + 1));
            if (markers || isolated) {
                dots.add(new double[] {px, py});
            }
            if (penDown) {
                path.lineTo(px, py);
                // Sample along the segment so the legend avoids lines, not just their vertices.
                for (int k = 1; k < 8; k++) {
                    occupied.add(new double[] {lastX + (px - lastX) * k / 8, lastY + (py - lastY) * k / 8});
                }
            } else {
                path.moveTo(px, py);
                penDown = true;
            }
            occupied.add(new double[] {px, py});
            lastX = px;
            lastY = py;
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
        for (double[] d : dots) {
            g.fill(new Ellipse2D.Double(d[0] - 3.5, d[1] - 3.5, 7, 7));
        }
    }

    /** Puts the legend in whichever inside corner covers the fewest drawn points. */
    private void drawLegend(Graphics2D g, Rectangle plot, List<double[]> occupied) {
        if (series.isEmpty()) {
            return;
        }
        g.setFont(Style.TICK);
        FontMetrics fm = g.getFontMetrics();
        int row = fm.getHeight() + 4;
        int sample = 22;
        int textWidth = 0;
        for (Series s : series) {
            // The same fractional measure Style.fit uses below: stringWidth can round short names down a pixel.
            textWidth = Math.max(textWidth, (int) Math.ceil(Style.width(g, s.name())));
        }
        int w = Math.min(plot.width - 16, 10 + sample + 8 + textWidth + 10);
        int h = 8 + row * series.size() + 2;
        int inset = 10;
        Rectangle best = null;
        int bestCount = Integer.MAX_VALUE;
        int[][] corners = {{1, 0}, {1, 1}, {0, 0}, {0, 1}}; // top-right first: the usual place
        for (int[] c : corners) {
            int lx = c[0] == 1 ? plot.x + plot.width - inset - w : plot.x + inset;
            int ly = c[1] == 0 ? plot.y + inset : plot.y + plot.height - inset - h;
            Rectangle r = new Rectangle(lx, ly, w, h);
            Rectangle2D grown = new Rectangle2D.Double(lx - 4, ly - 4, w + 8, h + 8);
            int count = 0;
            for (double[] p : occupied) {
                if (grown.contains(p[0], p[1])) {
                    count++;
                }
            }
            if (count < bestCount) {
                best = r;
                bestCount = count;
            }
        }
        g.setColor(new Color(255, 255, 255, 225));
        g.fill(best);
        g.setColor(new Color(0xCCCCCC));
        g.setStroke(new BasicStroke(1f));
        g.draw(best);
        for (int i = 0; i < series.size(); i++) {
            int cy = best.y + 6 + row * i + row / 2;
            g.setColor(color(i));
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(best.x + 10, cy, best.x + 10 + sample, cy));
            g.fill(new Ellipse2D.Double(best.x + 10 + sample / 2.0 - 3.5, cy - 3.5, 7, 7));
            g.setColor(Style.TEXT);
            g.drawString(Style.fit(g, series.get(i).name(), best.width - sample - 28),
                    best.x + 10 + sample + 8, cy + (fm.getAscent() - fm.getDescent()) / 2f);
        }
    }

    private static Color color(int i) {
        return Style.PALETTE[i % Style.PALETTE.length];
    }

    NiceScale xScale() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        boolean integers = true;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (s.finiteAt(i)) {
                    double v = s.x()[i];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    integers &= v == Math.rint(v);
                }
            }
        }
        return NiceScale.tight(lo, hi, MAX_TICKS, integers);
    }

    NiceScale yScale() {
        double lo = Double.isFinite(yMin) ? yMin : Double.POSITIVE_INFINITY;
        double hi = Double.isFinite(yMax) ? yMax : Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.y().length; i++) {
                if (s.finiteAt(i)) {
                    lo = Math.min(lo, s.y()[i]);
                    hi = Math.max(hi, s.y()[i]);
                }
            }
        }
        return NiceScale.of(lo, hi, MAX_TICKS, false);
    }
}
