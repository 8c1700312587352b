package dev.linea.plot;

import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A grid of small grayscale images (e.g. 28x28 digits), each upscaled with nearest-neighbour sampling and
 * optionally captioned. Mistakes get a red border and caption, correct ones green.
 *
 * <pre>{@code
 * ImageGrid grid = new ImageGrid(28, 28).title("Misclassified test images");
 * grid.add(pixels, "pred: Coat / true: Shirt", ImageGrid.Mark.MISTAKE);
 * grid.write(Path.of("mistakes.png"));
 * }</pre>
 *
 * <p>Float pixels are shown over [0, 1] when they lie in it; otherwise (standardised or 0..255 data) each
 * image is stretched over its own min..max, unless {@link #pixelRange} fixes the range. Byte pixels are
 * unsigned 0..255.
 */
public final class ImageGrid {
    /** How a tile is marked. */
    public enum Mark {
        /** No judgement: gray border, dark caption. */
        NONE,
        /** Correct prediction: green border and caption. */
        CORRECT,
        /** Wrong prediction: red border and caption. */
        MISTAKE
    }

    private static final int BORDER = 3;
    private static final int GAP = 14;
    private static final int MARGIN = 16;

    private record Tile(float[] gray, String[] captionLines, Mark mark) {}

    private final int imageWidth;
    private final int imageHeight;
    private final List<Tile> tiles = new ArrayList<>();
    private int scale = 3;
    private int columns;
    private String title = "";
    private double rangeLo = Double.NaN;
    private double rangeHi = Double.NaN;

    /** A grid of images of {@code width} x {@code height} pixels each. */
    public ImageGrid(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        this.imageWidth = width;
        this.imageHeight = height;
    }

    /** Upscaling factor (default 3: 28 px become 84 px). */
    public ImageGrid scale(int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
        this.scale = scale;
        return this;
    }

    /** Tiles per row; by default the grid is as near square as possible. */
    public ImageGrid columns(int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be at least 1, got " + columns);
        }
        this.columns = columns;
        return this;
    }

    /** A title above the grid; empty for none. */
    public ImageGrid title(String title) {
        this.title = Objects.requireNonNullElse(title, "");
        return this;
    }

    /** Maps float pixel {@code lo} to black and {@code hi} to white for every image. */
    public ImageGrid pixelRange(double lo, double hi) {
        if (!(hi > lo)) {
            throw new IllegalArgumentException("pixel range needs lo < hi, got " + lo + ".." + hi);
        }
        this.rangeLo = lo;
        this.rangeHi = hi;
        return this;
    }

    /** Adds an uncaptioned, unmarked image. */
    public ImageGrid add(float[] pixels) {
        return add(pixels, null, Mark.NONE);
    }

    /**
     * Adds an image in row-major order. The caption is split into lines at newlines and at " / ", so
     * "pred: Coat / true: Shirt" becomes two lines.
     *
     * @throws IllegalArgumentException if {@code pixels} does not hold width x height values
     */
    public ImageGrid add(float[] pixels, String caption, Mark mark) {
        Objects.requireNonNull(pixels, "pixels");
        checkLength(pixels.length);
        tiles.add(new Tile(toGray(pixels), lines(caption), Objects.requireNonNullElse(mark, Mark.NONE)));
        return this;
    }

    /** Adds an image of unsigned bytes (0 black, 255 white) in row-major order. */
    public ImageGrid add(byte[] pixels, String caption, Mark mark) {
        Objects.requireNonNull(pixels, "pixels");
        checkLength(pixels.length);
        float[] gray = new float[pixels.length];
        for (int i = 0; i < gray.length; i++) {
            gray[i] = (pixels[i] & 0xFF) / 255f;
        }
        tiles.add(new Tile(gray, lines(caption), Objects.requireNonNullElse(mark, Mark.NONE)));
        return this;
    }

    /** Number of images added so far. */
    public int size() {
        return tiles.size();
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

    private void checkLength(int length) {
        if (length != imageWidth * imageHeight) {
            throw new IllegalArgumentException("image has " + length + " pixels but " + imageWidth + "x"
                    + imageHeight + " needs " + imageWidth * imageHeight);
        }
    }

    /** Pixels as gray levels in [0, 1]; NaN shows as black. */
    private float[] toGray(float[] p) {
        double lo = rangeLo;
        double hi = rangeHi;
        if (Double.isNaN(lo)) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float v : p) {
                if (Float.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            boolean unit = !(min < 0) && !(max > 1);
            lo = unit || !(max > min) ? 0 : min;
            hi = unit || !(max > min) ? 1 : max;
        }
        float[] gray = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            double t = (p[i] - lo) / (hi - lo);
            gray[i] = Double.isNaN(t) ? 0f : (float) Math.clamp(t, 0.0, 1.0);
        }
        return gray;
    }

    private static String[] lines(String caption) {
        if (caption == null || caption.isBlank()) {
            return new String[0];
        }
        return caption.strip().split("\\s*\\n\\s*|\\s+/\\s+");
    }

    /** Sizes and positions; {@code tileBounds} is the image itself, without its border. */
    record Layout(int width, int height, int cellWidth, int cellHeight, int top, TileLayout grid,
            int tileWidth, int tileHeight) {
        Rectangle tileBounds(int index) {
            int col = index % grid.columns();
            int row = index / grid.columns();
            int x = MARGIN + col * (cellWidth + GAP) + (cellWidth - tileWidth) / 2;
            int y = top + row * (cellHeight + GAP) + BORDER;
            return new Rectangle(x, y, tileWidth, tileHeight);
        }
    }

    Layout layout() {
        TileLayout grid = columns > 0 ? TileLayout.withColumns(tiles.size(), columns)
                : TileLayout.nearSquare(tiles.size());
        Graphics2D g = Style.graphics(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
        g.setFont(Style.SMALL);
        FontMetrics fm = g.getFontMetrics();
        int tileW = imageWidth * scale;
        int tileH = imageHeight * scale;
        int maxLines = 0;
        double captionWidth = 0;
        for (Tile t : tiles) {
            maxLines = Math.max(maxLines, t.captionLines.length);
            for (String s : t.captionLines) {
                captionWidth = Math.max(captionWidth, Style.width(g, s));
            }
        }
        // Captions may widen a cell, but only up to 2x the tile so long text is abbreviated, not sprawling.
        int cellW = Math.max(tileW + 2 * BORDER, (int) Math.ceil(Math.min(captionWidth, 2.0 * tileW)) + 4);
        int cellH = tileH + 2 * BORDER + (maxLines == 0 ? 0 : 4 + maxLines * fm.getHeight());
        int top = MARGIN;
        double titleWidth = 0;
        if (!title.isEmpty()) {
            g.setFont(Style.TITLE);
            top += g.getFontMetrics().getHeight() + 10;
            titleWidth = Style.width(g, title);
        }
        g.dispose();
        int cols = Math.max(1, grid.columns());
        int width = Math.max(2 * MARGIN + cols * cellW + (cols - 1) * GAP, (int) Math.ceil(titleWidth) + 2 * MARGIN);
        int height = top + grid.rows() * cellH + Math.max(0, grid.rows() - 1) * GAP + MARGIN;
        return new Layout(width, Math.max(height, top + MARGIN), cellW, cellH, top, grid, tileW, tileH);
    }

    private void draw(Graphics2D g, Layout l) {
        if (!title.isEmpty()) {
            g.setFont(Style.TITLE);
            g.setColor(Style.TEXT);
            Style.centered(g, title, l.width / 2.0, MARGIN + g.getFontMetrics().getAscent());
        }
        g.setFont(Style.SMALL);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = tiles.get(i);
            Rectangle r = l.tileBounds(i);
            int bw = t.mark == Mark.NONE ? 1 : BORDER;
            g.setColor(switch (t.mark) {
                case MISTAKE -> Style.MISTAKE;
                case CORRECT -> Style.CORRECT;
                case NONE -> Style.NEUTRAL;
            });
            // Border first, image on top: a filled frame stays crisp where an antialiased stroke would blur.
            g.fillRect(r.x - bw, r.y - bw, r.width + 2 * bw, r.height + 2 * bw);
            g.drawImage(Tiles.gray(t.gray, imageWidth, imageHeight, scale), r.x, r.y, null);
            g.setColor(switch (t.mark) {
                case MISTAKE -> Style.MISTAKE;
                case CORRECT -> Style.CORRECT_TEXT;
                case NONE -> Style.TEXT;
            });
            double baseline = r.y + r.height + BORDER + 4 + fm.getAscent();
            for (String line : t.captionLines) {
                Style.centered(g, Style.fit(g, line, l.cellWidth), r.getCenterX(), baseline);
                baseline += fm.getHeight();
            }
        }
    }
}
