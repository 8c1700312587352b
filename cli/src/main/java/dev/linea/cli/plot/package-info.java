/**
 * PNG charts written by the command line tool: training curves ({@link dev.linea.cli.plot.LineChart},
 * {@link dev.linea.cli.plot.TrainingCurves}), a confusion matrix ({@link dev.linea.cli.plot.ConfusionMatrixChart}),
 * example images ({@link dev.linea.cli.plot.ImageGrid}) and first-layer weights
 * ({@link dev.linea.cli.plot.WeightGrid}).
 *
 * <p>Everything is drawn with Java2D on plain arrays, so it needs no display (it runs headless) and no
 * dependency beyond {@code java.desktop}. Text needs at least one font known to fontconfig; on Debian the
 * package {@code fonts-dejavu-core} provides it.
 */
package dev.linea.cli.plot;
