/**
 * Checkpoint files: the safetensors format ({@link dev.linea.io.SafeTensors}) and, stored in it, model files
 * and training checkpoints ({@link dev.linea.io.Checkpoints}: the weights, the optimizer's state and the
 * {@link dev.linea.io.TrainingProgress}, in one {@link dev.linea.io.Checkpoint}). Writes are atomic.
 */
package dev.linea.io;
