package dev.linea.examples;

import dev.linea.autograd.GradMode;
import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.data.Batch;
import dev.linea.data.DataLoader;
import dev.linea.data.FashionMNIST;
import dev.linea.data.ImageDataset;
import dev.linea.data.ImageSet;
import dev.linea.data.Shift;
import dev.linea.data.Split;
import dev.linea.models.CNN;
import dev.linea.models.FCNN;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Module;
import dev.linea.nn.Parameter;
import dev.linea.optim.Adam;
import dev.linea.plot.Fonts;
import dev.linea.plot.LineChart;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tutorial's "fully connected vs convolutional" section, in numbers. The same data and the same
 * training recipe for the tutorial's FCNN (every pixel wired to every neuron: 100,480 weights in fc1
 * alone) and a small CNN (3×3 filters shared across the image, then pooling, then FC layers to fuse the
 * features): parameters per layer, training time, test accuracy, and accuracy when every test image is
 * moved a few pixels — the FC layer has no notion of "the same pattern, elsewhere", the shared filters do.
 *
 * <p>{@code ./linea example fc-vs-conv [--epochs N] [--out DIR] [--quick]} prints the tables and writes
 * {@code fc-vs-conv.png} (accuracy against shift, both models).
 */
public final class FcVsConv {
    private static final int[] SHIFTS = {0, 1, 2, 3, 4};

    private FcVsConv() {}

    /** One model's results. */
    record Result(String name, Module model, double seconds, double[] accuracyByShift) {}

    public static void main(String[] args) {
        int epochs = 3;
        Path out = Path.of("runs", "fc-vs-conv");
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = ExampleData.positive("--epochs", ExampleData.value(args, i++));
                case "--out" -> out = Path.of(ExampleData.value(args, i++));
                case "--quick" -> quick = true;
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; usage: linea example fc-vs-conv [--epochs N] [--out DIR] [--quick]");
            }
        }
        try {
            run(epochs, out, quick, System.out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Trains both models and reports; {@code quick} uses 1,000 sample images and one epoch (for tests). */
    static List<Result> run(int epochs, Path out, boolean quick, PrintStream log) throws IOException {
        var transform = FashionMNIST.normalized();
        ImageDataset train = quick ? new ImageDataset(subset(ImageSet.loadSample(Split.TRAIN), 1000), transform)
                : FashionMNIST.auto(Split.TRAIN, Optional.empty(), transform);
        ImageDataset test = quick ? FashionMNIST.sample(Split.TEST, transform)
                : FashionMNIST.auto(Split.TEST, Optional.empty(), transform);
        int e = quick ? 1 : epochs;
        log.printf(Locale.ROOT, "FC vs conv on %s: %d epoch%s, Adam 1e-3, batch 64%n%n", train.imageSet().describe(), e,
                e == 1 ? "" : "s");
        Batch testSet = test.toTensors();
        float background = -FashionMNIST.MEAN / FashionMNIST.STD; // a black pixel, normalised
        List<Result> results = List.of(
                trainAndTest("FCNN", new FCNN(), train, testSet, e, background, log),
                trainAndTest("CNN", new CNN(), train, testSet, e, background, log));
        for (Result r : results) {
            printParameters(r, log);
        }
        log.println();
        log.printf(Locale.ROOT, "%-6s %12s %10s", "model", "parameters", "train s");
        for (int s : SHIFTS) {
            log.printf(Locale.ROOT, "  shift %dpx", s);
        }
        log.println();
        for (Result r : results) {
            log.printf(Locale.ROOT, "%-6s %,12d %10.1f", r.name(), r.model().parameterCount(), r.seconds());
            for (double a : r.accuracyByShift()) {
                log.printf(Locale.ROOT, "  %8.2f%%", a * 100);
            }
            log.println();
        }
        double fcLoss = 100 * (results.get(0).accuracyByShift()[0] - results.get(0).accuracyByShift()[2]);
        double convLoss = 100 * (results.get(1).accuracyByShift()[0] - results.get(1).accuracyByShift()[2]);
        log.printf(Locale.ROOT, "%nMoving the test images 2 px costs the FCNN %.1f points of accuracy and the CNN %.1f%s%n",
                fcLoss, convLoss, convLoss < fcLoss
                        ? ": the CNN's filters are shared across positions and pooling forgives small moves."
                        : " (with this little training the CNN has not yet learned to benefit from its shared filters).");
        if (Fonts.available()) {
            double[] xs = java.util.Arrays.stream(SHIFTS).asDoubleStream().toArray();
            LineChart chart = new LineChart("Test accuracy when images are moved", "shift (pixels, down and right)",
                    "accuracy");
            for (Result r : results) {
                chart.add(r.name() + String.format(Locale.ROOT, " (%,d params)", r.model().parameterCount()), xs,
                        r.accuracyByShift());
            }
            Path png = out.resolve("fc-vs-conv.png");
            chart.write(png, 640, 420);
            log.println("Chart: " + png);
        }
        return results;
    }

    private static Result trainAndTest(String name, Module model, ImageDataset train, Batch test, int epochs,
                                       float background, PrintStream log) {
        Linea.manualSeed(0);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Adam optimizer = new Adam(model.parameters(), 1e-3);
        DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(0).build();
        long t0 = System.nanoTime();
        for (int epoch = 0; epoch < epochs; epoch++) {
            model.train();
            for (Batch b : loader.epoch(epoch)) {
                Tensor loss = criterion.forward(model.forward(b.inputs()), b.targets());
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
            }
            log.printf(Locale.ROOT, "%s epoch %d: test accuracy %.2f%%%n", name, epoch + 1, 100 * accuracy(model, test.inputs(), test.targets()));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] acc = new double[SHIFTS.length];
        for (int i = 0; i < SHIFTS.length; i++) {
            acc[i] = accuracy(model, Shift.shift(test.inputs(), SHIFTS[i], SHIFTS[i], background), test.targets());
        }
        return new Result(name, model, seconds, acc);
    }

    private static double accuracy(Module model, Tensor x, Tensor y) {
        model.eval();
        int n = x.size(0), correct = 0;
        try (var g = GradMode.noGrad()) {
            for (int s = 0; s < n; s += 1000) {
                int b = Math.min(1000, n - s);
                Tensor pred = model.forward(x.narrow(0, s, b)).argmax(1, false);
                correct += (int) pred.eq(y.narrow(0, s, b)).sum().item();
            }
        }
        return (double) correct / n;
    }

    /** Parameters per layer, e.g. {@code fc1 (Linear)  100,480}. */
    private static void printParameters(Result r, PrintStream log) {
        log.printf(Locale.ROOT, "%n%s parameters per layer:%n", r.name());
        Map<String, Long> perLayer = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> p : r.model().namedParameters().entrySet()) {
            String layer = p.getKey().substring(0, p.getKey().lastIndexOf('.'));
            perLayer.merge(layer, (long) p.getValue().numel(), Long::sum);
        }
        Map<String, Module> modules = r.model().namedModules();
        perLayer.forEach((layer, count) -> log.printf(Locale.ROOT, "  %-6s %-8s %,9d  (%4.1f%%)%n", layer,
                modules.get(layer).getClass().getSimpleName(), count, 100.0 * count / r.model().parameterCount()));
        log.printf(Locale.ROOT, "  %-15s %,9d%n", "total", r.model().parameterCount());
    }

    /** The first {@code n} images of a set. */
    private static ImageSet subset(ImageSet set, int n) {
        int px = set.rows() * set.cols();
        return new ImageSet(set.kind(), set.split(), set.source() + " (first " + n + ")", n, set.rows(), set.cols(),
                java.util.Arrays.copyOf(set.pixels(), n * px), java.util.Arrays.copyOf(set.labels(), n), set.classNames());
    }
}
