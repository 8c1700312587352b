package dev.linea.inference;

/**
 * One class of a prediction: its label (the model card's class name), its index in the model's output,
 * and its probability (the softmax of the logits).
 *
 * @param label the class name, or the index as text when the card names no classes
 * @param index the output index, 0 ≤ index &lt; classes
 * @param probability in [0, 1]
 */
public record Prediction(String label, int index, float probability) {}
