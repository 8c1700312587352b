package dev.linea.plot;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Renders one example of each chart into the directory named by {@code -Dlinea.plotDemo=DIR}, for looking
 * at by eye; skipped otherwise.
 */
@EnabledIfSystemProperty(named = "linea.plotDemo", matches = ".+")
class PlotDemo {
    @Test
    void renderExamples() throws Exception {
        Path out = Path.of(System.getProperty("linea.plotDemo"));
        Random r = new Random(1);
        int epochs = 12;
        double[] trL = new double[epochs], teL = new double[epochs], trA = new double[epochs], teA = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            trL[e] = 0.25 + 0.6 * Math.exp(-e / 2.5) + 0.01 * r.nextGaussian();
            teL[e] = 0.33 + 0.5 * Math.exp(-e / 3.0) + 0.004 * e * e / 10 + 0.01 * r.nextGaussian();
            trA[e] = 0.91 - 0.2 * Math.exp(-e / 2.5) + 0.003 * r.nextGaussian();
            teA[e] = 0.885 - 0.17 * Math.exp(-e / 3.0) + 0.004 * r.nextGaussian();
        }
        teL[5] = Double.NaN;
        TrainingCurves.write(out.resolve("curves.png"), trL, teL, trA, teA);
        new LineChart("Single point", "epoch", "loss").add("train", new double[] {0.42})
                .write(out.resolve("single.png"), 480, 320);

        String[] names = ConfusionMatrixChartTest.FASHION;
        int[][] cm = new int[10][10];
        double[] acc = {0.85, 0.97, 0.8, 0.88, 0.82, 0.96, 0.62, 0.95, 0.97, 0.95};
        for (int i = 0; i < 10; i++) {
            cm[i][i] = (int) (1000 * acc[i]);
            int rest = 1000 - cm[i][i];
            while (rest > 0) {
                int j = r.nextInt(10);
                if (j == i) continue;
                int k = Math.min(rest, 1 + r.nextInt(40));
                cm[i][j] += k;
                rest -= k;
            }
        }
        new ConfusionMatrixChart(cm, names).write(out.resolve("confusion.png"));
        new ConfusionMatrixChart(new int[][] {{50, 2, 1}, {3, 40, 7}, {0, 5, 45}}, new String[] {"a", "b", "c"})
                .title("").write(out.resolve("confusion-small.png"));

        ImageGrid grid = new ImageGrid(28, 28).title("Test examples (red: misclassified)").columns(6);
        for (int i = 0; i < 12; i++) {
            float[] px = blob(r);
            boolean wrong = i % 3 == 0;
            String p = names[r.nextInt(10)];
            String t = wrong ? names[(i + 3) % 10] : p;
            grid.add(px, "pred: " + p + " / true: " + t, wrong ? ImageGrid.Mark.MISTAKE : ImageGrid.Mark.CORRECT);
        }
        grid.write(out.resolve("examples.png"));

        float[] w = new float[128 * 784];
        for (int u = 0; u < 128; u++) {
            double cx = 6 + r.nextDouble() * 16, cy = 6 + r.nextDouble() * 16, fx = r.nextGaussian() * 0.4,
                    fy = r.nextGaussian() * 0.4, scale = 0.01 + r.nextDouble() * 0.1;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    double g = Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 40.0);
                    w[u * 784 + y * 28 + x] = (float) (scale * (g * Math.sin(fx * x + fy * y) + 0.15 * r.nextGaussian()));
                }
            }
        }
        WeightGrid.of(w, 128, 28, 28).title("fc1 weights (128 units)").write(out.resolve("weights.png"));
    }

    /** A fuzzy ring: stands in for a digit or garment. */
    private static float[] blob(Random r) {
        float[] p = new float[784];
        double cx = 14 + r.nextGaussian() * 2, cy = 14 + r.nextGaussian() * 2, rad = 5 + r.nextDouble() * 5;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                double d = Math.hypot(x - cx, y - cy);
                p[y * 28 + x] = (float) Math.max(0, 1 - Math.abs(d - rad) / 2.5);
            }
        }
        return p;
    }
}
