package dev.linea.examples;

import dev.linea.autograd.GradMode;
import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.data.Batch;
import dev.linea.data.DataLoader;
import dev.linea.data.ImageDataset;
import dev.linea.data.ImageSetKind;
import dev.linea.data.Split;
import dev.linea.data.TensorDataset;
import dev.linea.data.ToTensor;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Dropout;
import dev.linea.nn.Identity;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;
import dev.linea.nn.ReLU;
import dev.linea.nn.Sequential;
import dev.linea.optim.Adam;
import dev.linea.plot.LineChart;
import dev.linea.plot.Series;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The Dropout lesson: one wide network, 784 → 512 → 512 → 10, trained twice on a small slice of the
 * training set — once plain, once with {@code nn.Dropout(0.5)} after each hidden layer. The plain one
 * memorises its 1,000 images (train accuracy climbs towards 100%) while test accuracy stalls near 80%: the
 * overfitting gap, about 16 points after 20 epochs on Fashion-MNIST. Dropout, which zeroes a random half of
 * the hidden units at every step, narrows it to about 10 points at the same test accuracy.
 *
 * <pre>
 * nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.5),
 *               nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 10))
 * model.train()   # dropout on while learning        model.train()
 * model.eval()    # and off while measuring          model.eval()
 * </pre>
 *
 * <p>Both runs start from the same weights and see the same batches in the same order, so Dropout is the
 * only difference. {@code ./linea example dropout [--epochs N] [--train-size N] [--data fashion-mnist|mnist|sample]
 * [--seed N] [--out DIR] [--quick]} prints a table per epoch and writes {@code dropout.png}.
 */
public final class DropoutLesson {
    /** Default number of epochs. */
    public static final int DEFAULT_EPOCHS = 20;
    /** Default number of training images: few enough that the wide network can memorise them. */
    public static final int DEFAULT_TRAIN_SIZE = 1000;

    /** The wide fully connected network, with Dropout({@code p}) after each hidden layer when {@code p > 0}. */
    public static class WideNet extends Module {
        final Sequential net;

        /** @param p dropout probability; 0 for none */
        public WideNet(float p) {
            net = new Sequential(
                    new Linear(784, 512), new ReLU(), p > 0 ? new Dropout(p) : new Identity(),
                    new Linear(512, 512), new ReLU(), p > 0 ? new Dropout(p) : new Identity(),
                    new Linear(512, 10));
        }

        @Override
        public Tensor forward(Tensor x) {
            return net.forward(x.view(-1, 784));
        }
    }

    static final String USAGE = "usage: linea example dropout [--epochs N] [--train-size N] [--data "
            + ExampleData.CHOICES.replace(", ", "|") + "] [--seed N] [--out DIR] [--quick]";

    /** Command-line settings; {@code data} is {@code null} for "the best data set installed". */
    record Options(int epochs, int trainSize, String data, long seed, Path out, boolean quick) {
        static Options parse(String[] args) {
            Integer epochs = null;
            Integer trainSize = null;
            String data = null;
            long seed = 42;
            Path out = null;
            boolean quick = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--epochs" -> epochs = ExampleData.positive("--epochs", ExampleData.value(args, i++));
                    case "--train-size" -> trainSize = ExampleData.positive("--train-size", ExampleData.value(args, i++));
                    case "--data" -> data = ExampleData.value(args, i++);
                    case "--seed" -> seed = ExampleData.positive("--seed", ExampleData.value(args, i++));
                    case "--out" -> out = Path.of(ExampleData.value(args, i++));
                    case "--quick" -> quick = true;
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; " + USAGE);
                }
            }
            if (data != null) {
                ExampleData.kind(data);   // fail on a bad name before anything is loaded
            }
            return new Options(epochs != null ? epochs : quick ? 2 : DEFAULT_EPOCHS,
                    trainSize != null ? trainSize : quick ? 300 : DEFAULT_TRAIN_SIZE,
                    quick && data == null ? "sample" : data, seed, out != null ? out : Path.of("runs", "dropout"), quick);
        }
    }

    /** Accuracies per epoch, in percent: [epoch][0 train, 1 test] for each model. */
    record Curves(double[][] plain, double[][] dropout) {}

    private DropoutLesson() {}

    /** Runs the lesson; bad options throw {@link IllegalArgumentException} naming the value. */
    public static void main(String[] args) {
        ExampleData.main(args, USAGE, () -> run(Options.parse(args)));
    }

    static Curves run(Options o) throws IOException {
        ImageSetKind kind = ExampleData.kind(o.data());
        // Pixels in [0, 1] are enough here; the point is the gap, not the last percent.
        ImageDataset trainSet = ExampleData.load(kind, Split.TRAIN, new ToTensor());
        ImageDataset testSet = ExampleData.load(kind, Split.TEST, new ToTensor());
        Batch train = subset(trainSet, o.trainSize(), o.seed());
        Batch test = o.quick() ? ExampleData.first(testSet, 500) : testSet.toTensors();
        System.out.printf(Locale.ROOT, "Dropout lesson on %s: %,d training images, %,d test images, %d epochs, seed %d%n",
                kind.displayName() + (o.data() == null ? " (the best data set found)" : ""), train.size(), test.size(),
                o.epochs(), o.seed());

        Linea.manualSeed(o.seed());
        WideNet plain = new WideNet(0);
        Linea.manualSeed(o.seed());
        WideNet dropout = new WideNet(0.5f);   // same seed, same layers in the same order: the same weights
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Adam optPlain = new Adam(plain.parameters(), 1e-3);
        Adam optDropout = new Adam(dropout.parameters(), 1e-3);
        DataLoader loader = DataLoader.builder(new TensorDataset(train.inputs(), train.targets()))
                .batchSize(32).shuffle(true).seed(o.seed()).build();   // small batches: many steps, fast memorising

        System.out.println();
        System.out.println("        without dropout          with dropout (p=0.5)");
        System.out.println("epoch   train    test     gap    train    test     gap");
        double[][] a = new double[o.epochs()][2];
        double[][] b = new double[o.epochs()][2];
        for (int epoch = 0; epoch < o.epochs(); epoch++) {
            for (Batch batch : loader.epoch(epoch)) {
                step(plain, optPlain, criterion, batch);
                step(dropout, optDropout, criterion, batch);
            }
            a[epoch] = new double[] {accuracy(plain, train), accuracy(plain, test)};
            b[epoch] = new double[] {accuracy(dropout, train), accuracy(dropout, test)};
            System.out.printf(Locale.ROOT, "%5d  %6.2f%%  %6.2f%%  %5.2f  %6.2f%%  %6.2f%%  %5.2f%n", epoch + 1,
                    a[epoch][0], a[epoch][1], a[epoch][0] - a[epoch][1],
                    b[epoch][0], b[epoch][1], b[epoch][0] - b[epoch][1]);
        }
        // Accuracy on 1,000 images jumps by a point or two between epochs, so the summary averages the last few.
        int k = Math.min(5, o.epochs());
        System.out.printf(Locale.ROOT, "%nMean over the last %d epoch%s: train-test gap %.1f points without dropout, "
                + "%.1f with it; test accuracy %.2f%% vs %.2f%%.%n", k, k == 1 ? "" : "s",
                tailMean(a, 0, k) - tailMean(a, 1, k), tailMean(b, 0, k) - tailMean(b, 1, k), tailMean(a, 1, k),
                tailMean(b, 1, k));

        Files.createDirectories(o.out());
        Path chart = o.out().resolve("dropout.png");
        new LineChart("Overfitting on " + train.size() + " images, with and without Dropout(0.5)", "epoch", "accuracy (%)")
                .add(Series.perEpoch("train, no dropout", column(a, 0)))
                .add(Series.perEpoch("test, no dropout", column(a, 1)))
                .add(Series.perEpoch("train, dropout 0.5", column(b, 0)))
                .add(Series.perEpoch("test, dropout 0.5", column(b, 1)))
                .write(chart, 760, 460);
        System.out.println("Wrote " + chart);
        return new Curves(a, b);
    }

    private static void step(WideNet model, Adam optimizer, CrossEntropyLoss criterion, Batch batch) {
        model.train();   // Dropout active
        Tensor loss = criterion.forward(model.forward(batch.inputs()), batch.targets());
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
    }

    /** Accuracy in percent, in eval mode (Dropout off) for both models, so the numbers compare. */
    private static double accuracy(WideNet model, Batch data) {
        model.eval();
        try (var noGrad = GradMode.noGrad()) {
            Tensor predicted = model.forward(data.inputs()).argmax(1, false);
            return 100.0 * predicted.eq(data.targets()).sum().item() / data.size();
        }
    }

    /** {@code n} training images picked at random (seeded), so every class is represented. */
    private static Batch subset(ImageDataset data, int n, long seed) {
        int[] all = new int[data.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        java.util.Random r = new java.util.Random(seed);
        for (int i = all.length - 1; i > 0; i--) {   // Fisher-Yates
            int j = r.nextInt(i + 1);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return data.batch(java.util.Arrays.copyOf(all, Math.min(n, all.length)));
    }

    private static double tailMean(double[][] rows, int c, int k) {
        double sum = 0;
        for (int i = rows.length - k; i < rows.length; i++) {
            sum += rows[i][c];
        }
        return sum / k;
    }

    private static double[] column(double[][] rows, int c) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i][c];
        }
        return out;
    }
}
