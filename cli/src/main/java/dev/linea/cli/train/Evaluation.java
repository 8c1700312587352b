package dev.linea.cli.train;

import dev.linea.autograd.GradMode;
import dev.linea.Tensor;
import dev.linea.data.Batch;
import dev.linea.data.ImageDataset;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Module;
import dev.linea.nn.functional.Reduction;

/**
 * A model's results on a labelled set: mean cross-entropy, accuracy, the confusion matrix
 * ({@code [true][predicted]}) and every prediction with its probability.
 */
record Evaluation(double loss, double accuracy, int[][] confusion, int[] predicted, float[] confidence) {

    /** Runs {@code model} in evaluation mode over {@code data} in batches of 1000, without gradients. */
    static Evaluation of(Module model, ImageDataset data) {
        int classes = data.classNames().size();
        int n = data.size();
        int[][] confusion = new int[classes][classes];
        int[] predicted = new int[n];
        float[] confidence = new float[n];
        double lossSum = 0;
        int correct = 0;
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
                float[] best = probs.max(1, false).toFloatArray();
                float[] arg = probs.argmax(1, false).toFloatArray();
                float[] labels = batch.targets().toFloatArray();
                for (int i = 0; i < b; i++) {
                    int p = (int) arg[i], t = (int) labels[i];
                    predicted[start + i] = p;
                    confidence[start + i] = best[i];
                    confusion[t][p]++;
                    correct += p == t ? 1 : 0;
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(lossSum / n, (double) correct / n, confusion, predicted, confidence);
    }

    /** Per-class precision, recall and F1 as a text table, with the overall accuracy. */
    String report(java.util.List<String> classNames) {
        StringBuilder sb = new StringBuilder();
        int w = Math.max(12, classNames.stream().mapToInt(String::length).max().orElse(5));
        sb.append(String.format(java.util.Locale.ROOT, "%-" + w + "s  precision  recall  f1-score  support%n", "class"));
        int k = confusion.length;
        for (int c = 0; c < k; c++) {
            int tp = confusion[c][c], support = 0, predictedC = 0;
            for (int j = 0; j < k; j++) {
                support += confusion[c][j];
                predictedC += confusion[j][c];
            }
            double precision = predictedC == 0 ? 0 : (double) tp / predictedC;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            sb.append(String.format(java.util.Locale.ROOT, "%-" + w + "s  %9.3f  %6.3f  %8.3f  %7d%n",
                    classNames.get(c), precision, recall, f1, support));
        }
        sb.append(String.format(java.util.Locale.ROOT, "%naccuracy %.2f%% on %d images, mean loss %.4f",
                accuracy * 100, predicted.length, loss));
        return sb.toString();
    }
}
