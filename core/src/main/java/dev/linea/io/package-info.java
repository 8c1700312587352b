/**
 * Checkpoint files: the safetensors format ({@link dev.linea.io.SafeTensors}) and model and
 * optimizer checkpoints stored in it ({@link dev.linea.io.Checkpoints}). Writes are atomic.
 */
package dev.linea.io;
