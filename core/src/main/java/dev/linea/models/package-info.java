/**
 * Ready-made networks for 28×28 gray images (Fashion-MNIST, MNIST): the fully connected layer tutorial's
 * {@link dev.linea.models.FCNN} (784 → 128 → 64 → 10) and the {@link dev.linea.models.CNN} of its
 * "fully connected vs convolutional" lesson. Both return logits, print and name their parameters as
 * their PyTorch originals do, and build the same weights for the same {@code Linea.manualSeed}.
 */
package dev.linea.models;
