/**
 * A reusable training loop: {@link dev.linea.train.Trainer} ({@code fit}, {@code evaluate}, {@code predict},
 * Keras-like, over PyTorch's plain loop) and its {@link dev.linea.train.Callback}s:
 * {@link dev.linea.train.ProgressBar}, {@link dev.linea.train.DivergenceStop}, {@link dev.linea.train.CsvLogger},
 * {@link dev.linea.train.ModelCheckpoint} and {@link dev.linea.train.EarlyStopping}. Runs resume exactly from the
 * {@link dev.linea.io.TrainingProgress} a checkpoint holds.
 */
package dev.linea.train;
