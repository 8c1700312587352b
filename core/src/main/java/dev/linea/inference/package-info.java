/**
 * Inference: {@link dev.linea.inference.Predictor} turns a self-describing model file (or a
 * {@code linea train} run folder) into top-k predictions for tensors, value arrays, images and image
 * files, applying the model card's preprocessing; safe to share between threads.
 */
package dev.linea.inference;
