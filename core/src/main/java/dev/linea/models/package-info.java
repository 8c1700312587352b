/**
 * Ready-made networks for 28×28 gray images (Fashion-MNIST, MNIST): the fully connected layer tutorial's
 * {@link dev.linea.models.FCNN} (784 → 128 → 64 → 10) and the {@link dev.linea.models.CNN} of its
 * "fully connected vs convolutional" lesson. Both return logits, print and name their parameters as
 * their PyTorch originals do, and build the same weights for the same {@code Linea.manualSeed}.
 *
 * <p>Self-describing model files: a {@link dev.linea.models.ModelCard} (architecture and options, input
 * shape, preprocessing, class names, Linea version) in the safetensors metadata, written by
 * {@link dev.linea.models.Models#save} and {@code linea train}; {@link dev.linea.models.Models#load}
 * rebuilds the module from it, for {@code fcnn}, {@code cnn} and any module registered with
 * {@link dev.linea.models.Models#register}.
 */
package dev.linea.models;
