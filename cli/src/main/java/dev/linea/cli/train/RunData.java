package dev.linea.cli.train;

import dev.linea.Generator;
import dev.linea.data.CsvDataset;
import dev.linea.data.GrayImage;
import dev.linea.data.ImageDataset;
import dev.linea.data.ImageFolder;
import dev.linea.data.Normalize;
import dev.linea.data.Split;
import dev.linea.data.Subset;
import dev.linea.data.SupervisedDataset;
import dev.linea.data.ToTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * A run's data, both parts: the built-in image sets, a CSV table ({@code csv:FILE}) or a folder of images with one
 * sub-folder per class ({@code folder:DIR}). One's own data without a test part ({@code DIR/train} and
 * {@code DIR/test}) is split at random, seeded by the run's seed, {@code --test-split} of it for testing.
 *
 * @param features the model's inputs: the table's feature columns, or the images' H × W pixels
 * @param testImage the test part's image {@code i} (for the pictures), or null for a table
 * @param mean the pixel mean the images are normalised with (0 for a table)
 * @param std the pixel deviation the images are normalised with (1 for a table)
 * @param imageSize the images' {@code HxW}, null for a table
 */
record RunData(SupervisedDataset train, SupervisedDataset test, List<String> classNames, String description,
               int features, IntFunction<GrayImage> testImage, float mean, float std, String imageSize) {

    /** The run's data; for one's own data, with the classes (and image statistics) of {@code s} once it has them. */
    static RunData load(TrainSettings s) throws IOException {
        if (s.own() == null) {
            ImageDataset train = Training.data(s, Split.TRAIN);
            ImageDataset test = Training.data(s, Split.TEST);
            return new RunData(train, test, train.classNames(), train.imageSet().describe(), 784, test::image, s.mean(),
                    s.std(), "28x28");
        }
        List<String> fixed = s.own().classNames().isEmpty() ? null : s.own().classNames();
        if (s.csv()) {
            CsvDataset all = CsvDataset.read(s.ownPath(), s.own().label(), fixed);
            if (all.classNames().size() < 2) {
                throw new IllegalArgumentException(s.ownPath() + ": column '" + s.own().label() + "' holds one class, "
                        + all.classNames() + "; a classifier needs at least 2");
            }
            List<Subset> parts = split(all, s);
            return new RunData(parts.get(0), parts.get(1), all.classNames(), all.describe() + splitText(parts, s),
                    all.numFeatures(), null, 0f, 1f, null);
        }
        Path dir = s.ownPath();
        boolean parts = Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"));
        ImageFolder train = options(parts ? dir.resolve("train") : dir, s).build();
        if (fixed != null && !train.classNames().equals(fixed)) {
            throw new IOException(train.root() + ": the class folders are now " + train.classNames() + ", the run was "
                    + "trained on " + fixed);
        }
        float[] norm = fixed == null ? meanStd(train) : new float[] {s.mean(), s.std()};
        var transform = new ToTensor().andThen(new Normalize(norm[0], norm[1]));
        train = train.withTransform(transform);
        if (parts) {
            ImageFolder test = options(dir.resolve("test"), s).transform(transform).build();
            if (!test.classNames().equals(train.classNames())) {
                throw new IOException(test.root() + ": the class folders " + test.classNames() + " differ from "
                        + train.root() + "'s " + train.classNames());
            }
            if (test.rows() != train.rows() || test.cols() != train.cols()) {
                throw new IOException(test.root() + ": the test images are " + test.rows() + "x" + test.cols()
                        + " but the training images " + train.rows() + "x" + train.cols() + ": pass --image-size");
            }
            return new RunData(train, test, train.classNames(), train.describe() + "; test: " + test.describe(),
                    train.rows() * train.cols(), test::image, norm[0], norm[1], train.rows() + "x" + train.cols());
        }
        List<Subset> split = split(train, s);
        ImageFolder all = train;
        int[] testIndices = split.get(1).indices();
        return new RunData(split.get(0), split.get(1), train.classNames(), train.describe() + splitText(split, s),
                train.rows() * train.cols(), i -> all.image(testIndices[i]), norm[0], norm[1],
                train.rows() + "x" + train.cols());
    }

    private static ImageFolder.Builder options(Path dir, TrainSettings s) {
        ImageFolder.Builder b = ImageFolder.builder(dir);
        if (s.own().imageSize() != null) {
            b.resize(TrainSettings.OwnData.imageRows(s.own().imageSize()), TrainSettings.OwnData.imageCols(s.own().imageSize()));
        }
        return b;
    }

    /** Train and test parts drawn with a generator of the run's seed: the same run always splits alike. */
    private static List<Subset> split(SupervisedDataset all, TrainSettings s) {
        if (all.size() < 2) {
            throw new IllegalArgumentException("the data has " + all.size() + " example; a train/test split needs 2 or more");
        }
        int test = Math.max(1, Math.min(all.size() - 1, (int) Math.round(all.size() * s.own().testSplit())));
        return Subset.randomSplit(all, new Generator(s.seed()), all.size() - test, test);
    }

    private static String splitText(List<Subset> parts, TrainSettings s) {
        return String.format(Locale.ROOT, "; split at random (seed %d): %,d to train, %,d to test", s.seed(),
                parts.get(0).size(), parts.get(1).size());
    }

    /** The mean and standard deviation of the training pixels in [0, 1], for {@link Normalize}. */
    private static float[] meanStd(ImageFolder images) {
        double sum = 0, sq = 0;
        long n = 0;
        for (int i = 0; i < images.size(); i++) {
            GrayImage g = images.image(i);
            for (int y = 0; y < g.rows(); y++) {
                for (int x = 0; x < g.cols(); x++) {
                    double v = g.pixel(y, x) / 255.0;
                    sum += v;
                    sq += v * v;
                }
            }
            n += (long) g.rows() * g.cols();
        }
        double mean = sum / n;
        double std = Math.sqrt(Math.max(sq / n - mean * mean, 0));
        return new float[] {(float) mean, (float) Math.max(std, 1e-3)};
    }
}
