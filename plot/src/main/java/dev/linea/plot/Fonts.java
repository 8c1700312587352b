package dev.linea.plot;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * Checks that Java can draw text. With no font installed (a bare container), the JDK throws
 * {@code java.lang.Error: Probable fatal error: No physical fonts found} at the first {@code drawString};
 * this class turns that into a clear, catchable exception. On Debian/Ubuntu the package
 * {@code fonts-dejavu-core} (plus {@code fontconfig}) fixes it.
 */
public final class Fonts {
    private static volatile Boolean available;

    private Fonts() {}

    /** Whether text can be drawn; probed once, then remembered. */
    public static boolean available() {
        Boolean a = available;
        if (a == null) {
            a = probe();
            available = a;
        }
        return a;
    }

    /**
     * Throws if text cannot be drawn, so a caller can skip its plots with one warning.
     *
     * @throws IllegalStateException naming the missing package
     */
    public static void require() {
        if (!available()) {
            throw new IllegalStateException("Java found no fonts to draw chart text; install a font package"
                    + " (Debian/Ubuntu: apt-get install fonts-dejavu-core fontconfig)");
        }
    }

    @SuppressWarnings("ErrorNotRethrown") // the JDK signals "no fonts" with an Error; that is all we catch
    private static boolean probe() {
        try {
            BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("A", 0, 8);
            g.dispose();
            return true;
        } catch (Error | RuntimeException e) {
            return false;
        }
    }
}
