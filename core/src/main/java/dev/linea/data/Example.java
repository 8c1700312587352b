package dev.linea.data;

import dev.linea.Tensor;

/**
 * One supervised sample.
 *
 * @param input the features, e.g. an image of shape (1, 28, 28)
 * @param target what to predict, e.g. a 0-D class index (as a float) or a row of regression targets
 */
public record Example(Tensor input, Tensor target) {}
