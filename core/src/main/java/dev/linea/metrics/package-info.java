/**
 * Classification metrics with scikit-learn's definitions: {@link dev.linea.metrics.Metrics} (accuracy, top-k
 * accuracy), {@link dev.linea.metrics.ConfusionMatrix} (counts, per-class precision, recall and F1) and
 * {@link dev.linea.metrics.ClassificationReport} (the per-class table with macro and weighted averages).
 */
package dev.linea.metrics;
