package dev.linea.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.data.CsvDataset;
import dev.linea.data.DataLoader;
import dev.linea.data.Subset;
import dev.linea.models.FCNN;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.optim.Adam;
import dev.linea.optim.lr.CosineAnnealingLR;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's "Training loop" snippet, as written there (its files in a temporary folder), on Iris-like data. */
class ReadmeTrainingLoopTest {
    @TempDir
    Path dir;

    /** 50 rows of each of three species, four measurements around each species' means (Fisher's Iris averages). */
    private Path iris() throws IOException {
        double[][] means = {{5.0, 3.4, 1.5, 0.2}, {5.9, 2.8, 4.3, 1.3}, {6.6, 3.0, 5.6, 2.0}};
        String[] names = {"setosa", "versicolor", "virginica"};
        Random r = new Random(4);
        StringBuilder sb = new StringBuilder("sepal_length,sepal_width,petal_length,petal_width,species\n");
        for (int i = 0; i < 150; i++) {
            double[] m = means[i % 3];
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f,%s%n", m[0] + 0.4 * r.nextGaussian(),
                    m[1] + 0.3 * r.nextGaussian(), m[2] + 0.3 * r.nextGaussian(), m[3] + 0.2 * r.nextGaussian(),
                    names[i % 3]));
        }
        Path f = dir.resolve("iris.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    @Test
    void theSnippetTrainsOnACsvAndReportsPerClassMetrics() throws IOException {
        Path irisCsv = iris();
        CsvDataset data = CsvDataset.read(irisCsv, "species");
        List<Subset> parts = Subset.randomSplit(data, new Generator(0), 0.8, 0.2);
        FCNN model = new FCNN(data.numFeatures(), data.classNames().size(), 0f);
        Adam optimizer = new Adam(model.parameters(), 0.01);
        Trainer trainer = Trainer.builder(model, optimizer, new CrossEntropyLoss())
                .epochs(20).seed(0)
                .scheduling(Scheduling.perEpoch(new CosineAnnealingLR(optimizer, 20, 0)))
                .callbacks(new ProgressBar(System.out), new DivergenceStop(data.classNames().size()),
                        new CsvLogger(dir.resolve("metrics.csv")), ModelCheckpoint.best(dir.resolve("best.safetensors")),
                        new EarlyStopping(3, 1e-4))
                .build();
        History history = trainer.fit(DataLoader.builder(parts.get(0)).batchSize(16).shuffle(true).build(), parts.get(1));
        Evaluation test = trainer.evaluate(parts.get(1));          // loss, accuracy, ConfusionMatrix, predictions
        System.out.println(test.confusion().report(data.classNames()));  // precision, recall, F1, macro/weighted avg
        Tensor probabilities = trainer.predict(parts.get(1).batch(new int[] {0, 1}).inputs()).softmax(1);

        assertTrue(test.accuracy() > 0.85, "accuracy " + test.accuracy() + " after " + history.epochs().size() + " epochs");
        assertTrue(Math.abs(probabilities.sum().item() - 2) < 1e-5);
        assertTrue(Files.size(dir.resolve("best.safetensors")) > 0);
    }
}
