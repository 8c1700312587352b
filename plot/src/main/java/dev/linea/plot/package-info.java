/**
 * PNG charts of training runs, drawn by the {@code linea} command and the example programs: line charts
 * and training curves ({@link dev.linea.plot.LineChart}, {@link dev.linea.plot.TrainingCurves}), a
 * confusion matrix ({@link dev.linea.plot.ConfusionMatrixChart}), example images
 * ({@link dev.linea.plot.ImageGrid}) and first-layer weights ({@link dev.linea.plot.WeightGrid}), each
 * written atomically ({@link dev.linea.plot.Png}).
 *
 * <p>Everything is drawn with Java2D on plain arrays, so it needs no display (it runs headless) and no
 * dependency beyond {@code java.desktop}. Text needs at least one font known to fontconfig
 * ({@link dev.linea.plot.Fonts}); on Debian the package {@code fonts-dejavu-core} provides it.
 */
package dev.linea.plot;
