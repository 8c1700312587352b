package dev.linea.cli.train;

import dev.linea.Tensor;
import dev.linea.data.ImageDataset;
import dev.linea.data.ImageSet;
import dev.linea.nn.Module;
import dev.linea.plot.ConfusionMatrixChart;
import dev.linea.plot.Fonts;
import dev.linea.plot.ImageGrid;
import dev.linea.plot.TrainingCurves;
import dev.linea.plot.WeightGrid;
import dev.linea.train.CsvLogger;
import dev.linea.train.Evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The pictures of a run: loss and accuracy curves, the confusion matrix, what each of fc1's neurons
 * looks at (its 784 weights as a 28×28 tile), and test images with predicted and true labels.
 */
final class Pictures {
    private static boolean warned;

    private Pictures() {}

    static void write(Path runDir, Module model, CsvLogger metrics, Evaluation eval, ImageDataset test, PrintStream out)
            throws IOException {
        if (!Fonts.available()) {
            if (!warned) {
                warned = true;
                out.println("Note: no fonts installed, so no PNG pictures (sudo apt-get install fonts-dejavu-core fontconfig)");
            }
            return;
        }
        TrainingCurves.write(runDir.resolve(RunFiles.CURVES), metrics.column(CsvLogger.Row::trainLoss),
                metrics.column(CsvLogger.Row::testLoss), null, metrics.column(CsvLogger.Row::testAccuracy));
        List<String> names = test.classNames();
        new ConfusionMatrixChart(eval.confusion().toIntArray(), names.toArray(new String[0]))
                .title("Confusion matrix (test set)").write(runDir.resolve(RunFiles.CONFUSION));
        Tensor w = model.namedParameters().get("fc1.weight");
        if (w != null && w.dim() == 2 && w.size(1) == 784) {
            WeightGrid.of(w.toFloatArray(), w.size(0), 28, 28)
                    .title("What each of fc1's " + w.size(0) + " neurons looks at (weights; red +, blue -)")
                    .write(runDir.resolve(RunFiles.WEIGHTS));
        }
        ImageSet set = test.imageSet();
        ImageGrid grid = new ImageGrid(set.cols(), set.rows()).columns(8)
                .title("Test images: predicted / true (mistakes in red)");
        int px = set.rows() * set.cols();
        for (int i = 0; i < Math.min(32, test.size()); i++) {
            int p = eval.predicted()[i], t = test.label(i);
            grid.add(java.util.Arrays.copyOfRange(set.pixels(), i * px, (i + 1) * px),
                    "pred: " + names.get(p) + " / true: " + names.get(t),
                    p == t ? ImageGrid.Mark.CORRECT : ImageGrid.Mark.MISTAKE);
        }
        grid.write(runDir.resolve(RunFiles.PREDICTIONS));
    }
}
