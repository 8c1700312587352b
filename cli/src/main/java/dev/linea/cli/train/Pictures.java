package dev.linea.cli.train;

import dev.linea.Tensor;
import dev.linea.data.GrayImage;
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
 * The pictures of a run: loss and accuracy curves, the confusion matrix, and for images what each of fc1's
 * neurons looks at (its weights as an H × W tile) and test images with predicted and true labels.
 */
final class Pictures {
    private static boolean warned;

    private Pictures() {}

    static void write(Path runDir, Module model, CsvLogger metrics, Evaluation eval, RunData data, PrintStream out)
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
        List<String> names = data.classNames();
        new ConfusionMatrixChart(eval.confusion().toIntArray(), names.toArray(new String[0]))
                .title("Confusion matrix (test set)").write(runDir.resolve(RunFiles.CONFUSION));
        if (data.testImage() == null) {
            return; // a table: no images to draw
        }
        GrayImage first = data.testImage().apply(0);
        int rows = first.rows(), cols = first.cols(), px = rows * cols;
        Tensor w = model.namedParameters().get("fc1.weight");
        if (w != null && w.dim() == 2 && w.size(1) == px) {
            WeightGrid.of(w.toFloatArray(), w.size(0), rows, cols)
                    .title("What each of fc1's " + w.size(0) + " neurons looks at (weights; red +, blue -)")
                    .write(runDir.resolve(RunFiles.WEIGHTS));
        }
        ImageGrid grid = new ImageGrid(cols, rows).columns(8).title("Test images: predicted / true (mistakes in red)");
        for (int i = 0; i < Math.min(32, data.test().size()); i++) {
            GrayImage g = data.testImage().apply(i);
            int p = eval.predicted()[i], t = (int) data.test().get(i).target().item();
            grid.add(java.util.Arrays.copyOfRange(g.pixels(), g.offset(), g.offset() + px),
                    "pred: " + names.get(p) + " / true: " + names.get(t),
                    p == t ? ImageGrid.Mark.CORRECT : ImageGrid.Mark.MISTAKE);
        }
        grid.write(runDir.resolve(RunFiles.PREDICTIONS));
    }
}
