/**
 * Raw data layer for image data sets: the IDX file format ({@link dev.linea.data.Idx}), finding data
 * sets on disk ({@link dev.linea.data.DataLocator}) and loading them as plain arrays
 * ({@link dev.linea.data.ImageSet}), including a small Fashion-MNIST sample embedded in the jar.
 *
 * <p>Everything here works on {@code byte[]}; tensors and batching belong to the layers above.
 */
package dev.linea.data;
