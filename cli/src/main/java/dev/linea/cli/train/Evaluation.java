package dev.linea.cli.train;

import dev.linea.autograd.GradMode;
import dev.linea.Tensor;
import dev.linea.data.Batch;
import dev.linea.data.ImageDataset;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Module;
import dev.linea.metrics.ConfusionMatrix;
import dev.linea.nn.functional.Reduction;

/**
 * A model's results on a labelled set: mean cross-entropy, accuracy, the confusion matrix (the library's
 * {@link ConfusionMatrix}, {@code [true][predicted]}) and every prediction with its probability.
 */
record Evaluation(double loss, double accuracy, ConfusionMatrix confusion, int[] predicted, float[] confidence) {

    /** Runs {@code model} in evaluation mode over {@code data} in batches of 1000, without gradients. */
    static Evaluation of(Module model, ImageDataset data) {
        int n = data.size();
        ConfusionMatrix confusion = new ConfusionMatrix(data.classNames().size());
        int[] predicted = new int[n];
        float[] confidence = new float[n];
        double lossSum = 0;
        boolean wasTraining = model.isTraining();
        model.eval();
        CrossEntropyLoss ce = new CrossEntropyLoss(Reduction.SUM);
        try (var g = GradMode.noGrad()) {
            for (int start = 0; start < n; start += 1000) {
                int b = Math.min(1000, n - start);
                Batch batch = data.batch(java.util.stream.IntStream.range(start, start + b).toArray());
                Tensor logits = model.forward(batch.inputs());
                lossSum += ce.forward(logits, batch.targets()).item();
                Tensor probs = logits.softmax(1);
                confusion.add(probs, batch.targets());
                float[] best = probs.max(1, false).toFloatArray();
                float[] arg = probs.argmax(1, false).toFloatArray();
                for (int i = 0; i < b; i++) {
                    predicted[start + i] = (int) arg[i];
                    confidence[start + i] = best[i];
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(lossSum / n, confusion.accuracy(), confusion, predicted, confidence);
    }

    /** Per-class precision, recall and F1 with their averages (the library's report), and the overall accuracy. */
    String report(java.util.List<String> classNames) {
        return confusion.report(classNames) + String.format(java.util.Locale.ROOT,
                "%naccuracy %.2f%% on %d images, mean loss %.4f", accuracy * 100, predicted.length, loss);
    }
}
