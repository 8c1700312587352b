package dev.linea.train;

import dev.linea.Tensor;
import dev.linea.autograd.GradMode;
import dev.linea.data.Batch;
import dev.linea.data.SupervisedDataset;
import dev.linea.metrics.ConfusionMatrix;
import dev.linea.nn.Module;

import java.util.function.BinaryOperator;
import java.util.stream.IntStream;

/**
 * A model's results on a labelled dataset ({@link Trainer#evaluate}, {@link #of}).
 *
 * @param loss the mean loss over the examples (each batch's mean loss weighted by its size)
 * @param accuracy the fraction whose highest score is the target class; NaN when the outputs are not class
 *                 scores (N, C) against class indices (N)
 * @param confusion the confusion matrix ({@code [true][predicted]}); null when the outputs are not class scores
 * @param predicted each example's predicted class (the argmax of its scores); empty when not class scores
 * @param confidence each example's softmax probability of that class; empty when not class scores
 */
public record Evaluation(double loss, double accuracy, ConfusionMatrix confusion, int[] predicted, float[] confidence) {

    /**
     * Runs {@code model} over {@code data} in eval mode without gradients, {@code batchSize} examples a forward,
     * restoring the model's training mode after; {@code loss} must reduce by mean.
     *
     * @throws IllegalArgumentException when {@code data} is empty or {@code batchSize < 1}
     */
    public static Evaluation of(Module model, BinaryOperator<Tensor> loss, SupervisedDataset data, int batchSize) {
        int n = data.size();
        if (n == 0) {
            throw new IllegalArgumentException("cannot evaluate on an empty dataset");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        ConfusionMatrix confusion = null;
        int[] predicted = new int[n];
        float[] confidence = new float[n];
        boolean classes = true;
        double lossSum = 0;
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var g = GradMode.noGrad()) {
            for (int start = 0; start < n; start += batchSize) {
                int b = Math.min(batchSize, n - start);
                Batch batch = data.batch(IntStream.range(start, start + b).toArray());
                Tensor out = model.forward(batch.inputs());
                lossSum += (double) loss.apply(out, batch.targets()).item() * b;
                classes &= out.dim() == 2 && batch.targets().dim() == 1;
                if (!classes) {
                    continue;
                }
                Tensor probs = out.softmax(1);
                if (confusion == null) {
                    confusion = new ConfusionMatrix(out.size(1));
                }
                confusion.add(probs, batch.targets());
                float[] top = probs.max(1, false).toFloatArray();
                float[] arg = probs.argmax(1, false).toFloatArray();
                for (int i = 0; i < b; i++) {
                    predicted[start + i] = (int) arg[i];
                    confidence[start + i] = top[i];
                }
            }
        } finally {
            model.train(wasTraining);
        }
        if (!classes) {
            return new Evaluation(lossSum / n, Double.NaN, null, new int[0], new float[0]);
        }
        return new Evaluation(lossSum / n, confusion.accuracy(), confusion, predicted, confidence);
    }
}
