package dev.linea.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/** The shared look of every chart: colours, fonts, rendering hints and text helpers. */
final class Style {
    private Style() {}

    static final Color BACKGROUND = Color.WHITE;
    static final Color TEXT = new Color(0x222222);
    static final Color MUTED_TEXT = new Color(0x555555);
    static final Color AXIS = new Color(0x666666);
    static final Color GRID = new Color(0xE4E4E4);
    static final Color MISTAKE = new Color(0xD62728);
    static final Color CORRECT = new Color(0x2CA02C);
    static final Color CORRECT_TEXT = new Color(0x1E7B1E);
    static final Color NEUTRAL = new Color(0xBBBBBB);

    /** Tableau 10: distinguishable, and readable by most colour-blind viewers for the first few. */
    static final Color[] PALETTE = {
        new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C), new Color(0xD62728),
        new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F),
        new Color(0xBCBD22), new Color(0x17BECF),
    };

    // Logical font: mapped by fontconfig to whatever sans face is installed (DejaVu Sans on Debian).
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    /** A new RGB image filled with the background colour. */
    static BufferedImage image(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return img;
    }

    /** A new {@link #image} of the given size with {@code draw} applied through {@link #graphics}. */
    static BufferedImage render(int width, int height, java.util.function.Consumer<Graphics2D> draw) {
        BufferedImage img = image(width, height);
        Graphics2D g = graphics(img);
        try {
            draw.accept(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Graphics with antialiasing; grayscale text antialiasing because LCD subpixels look wrong in a PNG. */
    static Graphics2D graphics(BufferedImage img) {
        Fonts.require(); // every chart has text: fail clearly here rather than with a JDK Error mid-draw
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_NORMALIZE);
        return g;
    }

    /** Draws {@code s} horizontally centred on {@code cx} with its baseline at {@code baseline}. */
    static void centered(Graphics2D g, String s, double cx, double baseline) {
        double w = g.getFontMetrics().getStringBounds(s, g).getWidth();
        g.drawString(s, (float) (cx - w / 2), (float) baseline);
    }

    /** Draws {@code s} right-aligned at {@code right}, vertically centred on {@code cy}. */
    static void rightAligned(Graphics2D g, String s, double right, double cy) {
        FontMetrics fm = g.getFontMetrics();
        double w = fm.getStringBounds(s, g).getWidth();
        g.drawString(s, (float) (right - w), (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
    }

    /** Draws {@code s} rotated by {@code theta} radians, its centre at ({@code cx}, {@code cy}). */
    static void rotatedCentered(Graphics2D g, String s, double cx, double cy, double theta) {
        FontMetrics fm = g.getFontMetrics();
        double w = fm.getStringBounds(s, g).getWidth();
        AffineTransform saved = g.getTransform();
        g.translate(cx, cy);
        g.rotate(theta);
        g.drawString(s, (float) (-w / 2), (float) ((fm.getAscent() - fm.getDescent()) / 2.0));
        g.setTransform(saved);
    }

    static double width(Graphics2D g, String s) {
        return g.getFontMetrics().getStringBounds(s, g).getWidth();
    }

    /** {@code s}, or its longest prefix plus an ellipsis that fits in {@code maxWidth} pixels. */
    static String fit(Graphics2D g, String s, double maxWidth) {
        if (width(g, s) <= maxWidth) {
            return s;
        }
        for (int n = s.length() - 1; n > 0; n--) {
            String t = s.substring(0, n).stripTrailing() + "\u2026";
            if (width(g, t) <= maxWidth) {
                return t;
            }
        }
        return "\u2026";
    }

    /** Relative luminance in [0, 1], used to pick black or white text over a filled cell. */
    static double luminance(Color c) {
        return (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255.0;
    }
}
