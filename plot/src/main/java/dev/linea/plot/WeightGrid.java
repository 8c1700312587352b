package dev.linea.plot;

import java.awt.BasicStroke;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The rows of a weight matrix shown as images: e.g. the 128 rows of a 128x784 first layer as 28x28 tiles in
 * a 16x8 grid. Each tile has its own scale, ±max|w| of that tile, on a diverging map (blue negative, white
 * zero, red positive), so every unit's pattern is visible whatever its magnitude.
 *
 * <pre>{@code
 * WeightGrid.of(fc1Weights, 128, 28, 28).title("fc1 weights").write(Path.of("weights.png"));
 * }</pre>
 */
public final class WeightGrid {
    private static final int GAP = 5;
    private static final int MARGIN = 16;

    private final float[][] rows;
    private final int tileHeight;
    private final int tileWidth;
    private int scale = 2;
    private String title = "";

    /**
     * @param rows one weight vector per tile, each {@code tileHeight * tileWidth} long, row-major
     * @throws IllegalArgumentException if a row has the wrong length
     */
    public WeightGrid(float[][] rows, int tileHeight, int tileWidth) {
        Objects.requireNonNull(rows, "rows");
        if (tileHeight <= 0 || tileWidth <= 0) {
            throw new IllegalArgumentException("tile size must be positive, got " + tileHeight + "x" + tileWidth);
        }
        for (int i = 0; i < rows.length; i++) {
            int len = rows[i] == null ? 0 : rows[i].length;
            if (len != tileHeight * tileWidth) {
                throw new IllegalArgumentException("weight row " + i + " has " + len + " values but a "
                        + tileHeight + "x" + tileWidth + " tile needs " + tileHeight * tileWidth);
            }
        }
        this.rows = rows.clone();
        this.tileHeight = tileHeight;
        this.tileWidth = tileWidth;
    }

    /**
     * From a flat row-major matrix of {@code count} rows, as a Linear layer stores [out, in] weights.
     *
     * @throws IllegalArgumentException if {@code weights.length != count * tileHeight * tileWidth}
     */
    public static WeightGrid of(float[] weights, int count, int tileHeight, int tileWidth) {
        Objects.requireNonNull(weights, "weights");
        int per = tileHeight * tileWidth;
        if (count < 0 || per <= 0 || weights.length != (long) count * per) {
            throw new IllegalArgumentException("weights has " + weights.length + " values but " + count + " rows of "
                    + tileHeight + "x" + tileWidth + " need " + (long) count * per);
        }
        float[][] rows = new float[count][];
        for (int i = 0; i < count; i++) {
            rows[i] = Arrays.copyOfRange(weights, i * per, (i + 1) * per);
        }
        return new WeightGrid(rows, tileHeight, tileWidth);
    }

    /** Upscaling factor (default 2). */
    public WeightGrid scale(int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
        this.scale = scale;
        return this;
    }

    /** A title above the grid; empty for none. */
    public WeightGrid title(String title) {
        this.title = Objects.requireNonNullElse(title, "");
        return this;
    }

    /** Renders the grid into a new image sized to fit. */
    public BufferedImage render() {
        Layout l = layout();
        return Style.render(l.width, l.height, g -> draw(g, l));
    }

    /** Renders the grid and writes it as a PNG file, atomically. */
    public void write(Path file) throws IOException {
        Png.write(render(), file);
    }

    record Layout(int width, int height, int top, TileLayout grid, int tileW, int tileH) {
        Rectangle tileBounds(int index) {
            int col = index % grid.columns();
            int row = index / grid.columns();
            return new Rectangle(MARGIN + col * (tileW + GAP), top + row * (tileH + GAP), tileW, tileH);
        }
    }

    Layout layout() {
        TileLayout grid = TileLayout.nearSquare(rows.length);
        Graphics2D g = Style.graphics(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
        int tileW = tileWidth * scale;
        int tileH = tileHeight * scale;
        int gridW = grid.columns() * tileW + (grid.columns() - 1) * GAP;
        int gridH = Math.max(0, grid.rows() * tileH + (grid.rows() - 1) * GAP);
        int top = MARGIN;
        double textW = 0;
        if (!title.isEmpty()) {
            g.setFont(Style.TITLE);
            top += g.getFontMetrics().getHeight() + 4;
            textW = Style.width(g, title);
        }
        g.setFont(Style.SMALL);
        top += g.getFontMetrics().getHeight() + 10; // the key line under the title
        textW = Math.max(textW, Style.width(g, KEY) + 100);
        g.dispose();
        int width = Math.max(2 * MARGIN + gridW, (int) Math.ceil(textW) + 2 * MARGIN);
        return new Layout(width, top + gridH + MARGIN, top, grid, tileW, tileH);
    }

    private static final String KEY = "each tile scaled to its own max |w|:";

    private void draw(Graphics2D g, Layout l) {
        int y = MARGIN;
        if (!title.isEmpty()) {
            g.setFont(Style.TITLE);
            g.setColor(Style.TEXT);
            Style.centered(g, title, l.width / 2.0, y + g.getFontMetrics().getAscent());
            y += g.getFontMetrics().getHeight() + 4;
        }
        drawKey(g, l.width / 2.0, y);
        for (int i = 0; i < rows.length; i++) {
            Rectangle r = l.tileBounds(i);
            g.drawImage(Tiles.upscale(colors(rows[i]), tileWidth, tileHeight, scale), r.x, r.y, null);
            // A hairline frame: near-zero weights are near-white and would otherwise merge with the page.
            g.setColor(Style.GRID);
            g.drawRect(r.x - 1, r.y - 1, r.width + 1, r.height + 1);
        }
    }

    /** One line explaining the colours: the text, then a small blue-white-red bar labelled -|w| 0 +|w|. */
    private static void drawKey(Graphics2D g, double cx, int y) {
        g.setFont(Style.SMALL);
        FontMetrics fm = g.getFontMetrics();
        String lo = "\u2212max";
        String hi = "+max";
        int barW = 60;
        double textW = Style.width(g, KEY);
        double total = textW + 8 + Style.width(g, lo) + 4 + barW + 4 + Style.width(g, hi);
        double x = cx - total / 2;
        int baseline = y + fm.getAscent();
        g.setColor(Style.MUTED_TEXT);
        g.drawString(KEY, (float) x, baseline);
        x += textW + 8;
        g.drawString(lo, (float) x, baseline);
        x += Style.width(g, lo) + 4;
        int barTop = y + 2;
        int barH = fm.getAscent() - 2;
        for (int i = 0; i < barW; i++) {
            g.setColor(Colormap.BLUE_WHITE_RED.color(i / (barW - 1.0)));
            g.fillRect((int) x + i, barTop, 1, barH);
        }
        g.setColor(Style.AXIS);
        g.setStroke(new BasicStroke(1f));
        g.drawRect((int) x, barTop, barW, barH);
        x += barW + 4;
        g.setColor(Style.MUTED_TEXT);
        g.drawString(hi, (float) x, baseline);
    }

    /** Colours of one tile, scaled by its own max |w|; an all-zero (or non-finite) tile stays white. */
    private static int[] colors(float[] w) {
        double maxAbs = 0;
        for (float v : w) {
            if (Float.isFinite(v)) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
        }
        int[] rgb = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            double t = maxAbs == 0 || !Float.isFinite(w[i]) ? 0.5 : 0.5 + 0.5 * w[i] / maxAbs;
            rgb[i] = Colormap.BLUE_WHITE_RED.rgb(t);
        }
        return rgb;
    }
}
