package dev.linea.examples;

import dev.linea.autograd.GradMode;
import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.data.Batch;
import dev.linea.data.DataLoader;
import dev.linea.data.ImageDataset;
import dev.linea.data.ImageSetKind;
import dev.linea.data.Normalize;
import dev.linea.data.Split;
import dev.linea.data.TensorDataset;
import dev.linea.data.ToTensor;
import dev.linea.nn.BCEWithLogitsLoss;
import dev.linea.nn.Dropout;
import dev.linea.nn.LeakyReLU;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;
import dev.linea.nn.Sequential;
import dev.linea.nn.Tanh;
import dev.linea.optim.Adam;
import dev.linea.plot.ImageGrid;
import dev.linea.plot.LineChart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A generative adversarial network from fully connected layers, as in PyTorch's GAN tutorials: a generator
 * turns 64 random numbers into a 28×28 image, a discriminator tells real images from generated ones, and
 * each trains against the other.
 *
 * <pre>
 * G = nn.Sequential(nn.Linear(64, 256), nn.LeakyReLU(0.2), ...,     new Generator()
 *                   nn.Linear(1024, 784), nn.Tanh())
 * D = nn.Sequential(nn.Linear(784, 512), nn.LeakyReLU(0.2), ...)     new Discriminator()
 * criterion = nn.BCEWithLogitsLoss()                                new BCEWithLogitsLoss()
 * optD = optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))     new Adam(d.parameters(), 2e-4, 0.5, 0.999, 1e-8, 0)
 * fake = G(torch.randn(b, 64))                                      Tensor fake = g.forward(Tensor.randn(b, 64))
 * lossD = criterion(D(torch.cat([real, fake.detach()])), labels)    d.forward(Tensor.cat(List.of(real, fake.detach()), 0))
 * lossG = criterion(D(fake), torch.ones(b, 1))                      criterion.forward(d.forward(fake), Tensor.ones(b, 1))
 * </pre>
 *
 * <p>{@code ./linea example gan [--epochs N] [--data fashion-mnist|mnist|sample] [--batch-size N] [--seed N]
 * [--out DIR] [--quick]} writes {@code samples-epoch-NN.png} after every epoch (the same 64 noise vectors
 * each time, so the pictures show one generator improving), {@code samples-final.png} and {@code losses.png}.
 */
public final class Gan {
    /** Length of the noise vector the generator starts from. */
    public static final int LATENT = 64;
    /**
     * Default number of epochs on full Fashion-MNIST (937 batches of 64 each). Measured: after 1 epoch the
     * samples are blobs; after 2, trousers, pullovers, sneakers and bags are recognisable though speckled.
     * Five leaves room for them to sharpen; {@code --epochs 20} or more gives cleaner pictures.
     */
    public static final int DEFAULT_EPOCHS = 30;

    private static final int IMAGE = 28 * 28;

    /** The generator: noise (B, 64) → images (B, 784) in [-1, 1]. */
    public static class Generator extends Module {
        final Sequential net = new Sequential(
                new Linear(LATENT, 256), new LeakyReLU(0.2f),
                new Linear(256, 512), new LeakyReLU(0.2f),
                new Linear(512, 1024), new LeakyReLU(0.2f),
                new Linear(1024, IMAGE), new Tanh());   // Tanh: the same [-1, 1] range as the real images

        @Override
        public Tensor forward(Tensor z) {
            return net.forward(z);
        }
    }

    /** The discriminator: images (B, 784) → one logit each (B, 1), high for "real". */
    public static class Discriminator extends Module {
        final Sequential net = new Sequential(
                new Linear(IMAGE, 512), new LeakyReLU(0.2f), new Dropout(0.3f),
                new Linear(512, 256), new LeakyReLU(0.2f), new Dropout(0.3f),
                new Linear(256, 1));                      // a logit: BCEWithLogitsLoss applies the sigmoid

        @Override
        public Tensor forward(Tensor x) {
            return net.forward(x.view(-1, IMAGE));
        }
    }

    static final String USAGE = "usage: linea example gan [--epochs N] [--data " + ExampleData.CHOICES.replace(", ", "|")
            + "] [--batch-size N] [--seed N] [--out DIR] [--quick]";

    /** Command-line settings; {@code data} is {@code null} for "the best data set installed". */
    record Options(int epochs, String data, int batchSize, long seed, Path out, boolean quick) {
        static Options parse(String[] args) {
            Integer epochs = null;
            String data = null;
            int batchSize = 64;
            long seed = 42;
            Path out = null;
            boolean quick = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--epochs" -> epochs = ExampleData.positive("--epochs", ExampleData.value(args, i++));
                    case "--data" -> data = ExampleData.value(args, i++);
                    case "--batch-size" -> batchSize = ExampleData.positive("--batch-size", ExampleData.value(args, i++));
                    case "--seed" -> seed = ExampleData.positive("--seed", ExampleData.value(args, i++));
                    case "--out" -> out = Path.of(ExampleData.value(args, i++));
                    case "--quick" -> quick = true;
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; " + USAGE);
                }
            }
            if (data != null) {
                ExampleData.kind(data);   // fail on a bad name before anything is loaded
            }
            if (out == null) {
                out = Path.of("runs", "gan-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            }
            return new Options(epochs != null ? epochs : quick ? 2 : DEFAULT_EPOCHS,
                    quick && data == null ? "sample" : data, batchSize, seed, out, quick);
        }
    }

    /** Mean losses of one epoch, and the discriminator's mean verdicts D(x) on real and D(G(z)) on fake images. */
    record EpochStats(double lossD, double lossG, double realScore, double fakeScore, double seconds) {}

    private Gan() {}

    /** Runs the example; bad options throw {@link IllegalArgumentException} naming the value. */
    public static void main(String[] args) {
        ExampleData.main(args, USAGE, () -> train(Options.parse(args)));
    }

    static List<EpochStats> train(Options o) throws IOException {
        ImageSetKind kind = ExampleData.kind(o.data());
        // ToTensor gives [0, 1]; Normalize(0.5, 0.5) maps it to [-1, 1], the generator's Tanh range.
        ImageDataset data = ExampleData.load(kind, Split.TRAIN, new ToTensor().andThen(new Normalize(0.5f, 0.5f)));
        Batch images = ExampleData.first(data, o.quick() ? 256 : data.size());
        int shown = o.quick() ? 16 : 64;
        System.out.printf(Locale.ROOT, "GAN on %s: %,d training images, %d epochs, batch %d, seed %d -> %s%n",
                kind.displayName() + (o.data() == null ? " (the best data set found)" : ""), images.size(),
                o.epochs(), o.batchSize(), o.seed(), o.out());
        Files.createDirectories(o.out());

        Linea.manualSeed(o.seed());
        Generator g = new Generator();
        Discriminator d = new Discriminator();
        Tensor fixedNoise = Tensor.randn(shown, LATENT);   // the same noise every epoch: comparable pictures
        BCEWithLogitsLoss criterion = new BCEWithLogitsLoss();
        // The DCGAN settings: beta1 = 0.5 damps momentum, which otherwise makes the two players oscillate.
        Adam optD = new Adam(d.parameters(), 2e-4, 0.5, 0.999, 1e-8, 0);
        Adam optG = new Adam(g.parameters(), 2e-4, 0.5, 0.999, 1e-8, 0);
        DataLoader loader = DataLoader.builder(new TensorDataset(images.inputs(), images.targets()))
                .batchSize(o.batchSize()).shuffle(true).seed(o.seed()).dropLast(true).build();
        if (loader.numBatches() == 0) {
            throw new IllegalArgumentException("--batch-size " + o.batchSize() + " is larger than the "
                    + images.size() + " training images");
        }

        // A live batch counter on a terminal: a full epoch takes minutes on a laptop's CPU.
        boolean live = System.console() != null && System.console().isTerminal();
        System.out.println("epoch   loss D   loss G    D(x)  D(G(z))   seconds");
        List<EpochStats> history = new ArrayList<>();
        for (int epoch = 0; epoch < o.epochs(); epoch++) {
            long start = System.nanoTime();
            double sumD = 0, sumG = 0, sumReal = 0, sumFake = 0;
            int steps = 0;
            g.train();
            d.train();
            for (Batch batch : loader.epoch(epoch)) {
                Tensor real = batch.inputs().view(-1, IMAGE);
                int b = real.size(0);
                Tensor fake = g.forward(Tensor.randn(b, LATENT));

                // 1. Discriminator: real images are labelled 1, generated ones 0. detach() keeps this step
                //    from computing gradients for the generator. One pass over both halves = the mean of
                //    PyTorch's errD_real and errD_fake.
                Tensor logits = d.forward(Tensor.cat(List.of(real, fake.detach()), 0));
                Tensor labels = Tensor.cat(List.of(Tensor.ones(b, 1), Tensor.zeros(b, 1)), 0);
                Tensor lossD = criterion.forward(logits, labels);
                optD.zeroGrad();
                lossD.backward();
                optD.step();

                // 2. Generator, non-saturating loss: make D call the fakes real (labels 1). Minimising
                //    log(1 - D(G(z))) instead gives vanishing gradients while D easily wins early on.
                Tensor lossG = criterion.forward(d.forward(fake), Tensor.ones(b, 1));
                optG.zeroGrad();
                lossG.backward();   // also fills D's gradients; optD.zeroGrad() clears them next step
                optG.step();

                sumD += lossD.item();
                sumG += lossG.item();
                try (var noGrad = GradMode.noGrad()) {
                    Tensor p = logits.sigmoid();
                    sumReal += p.slice(0, 0, b).mean().item();
                    sumFake += p.slice(0, b, 2 * b).mean().item();
                }
                steps++;
                if (live && (steps % 10 == 0 || steps == loader.numBatches())) {
                    System.out.printf(Locale.ROOT, "\r%5d  batch %d/%d  %.1f s", epoch + 1, steps, loader.numBatches(),
                            (System.nanoTime() - start) / 1e9);
                    System.out.flush();
                }
            }
            if (live) {
                System.out.print("\r" + " ".repeat(40) + "\r");
            }
            EpochStats s = new EpochStats(sumD / steps, sumG / steps, sumReal / steps, sumFake / steps,
                    (System.nanoTime() - start) / 1e9);
            history.add(s);
            System.out.printf(Locale.ROOT, "%5d  %7.4f  %7.4f  %6.3f  %7.3f  %8.1f%n", epoch + 1, s.lossD(), s.lossG(),
                    s.realScore(), s.fakeScore(), s.seconds());
            writeSamples(g, fixedNoise, o.out().resolve(String.format(Locale.ROOT, "samples-epoch-%02d.png", epoch + 1)),
                    "Generated after epoch " + (epoch + 1));
        }
        writeSamples(g, fixedNoise, o.out().resolve("samples-final.png"),
                "Generated after " + o.epochs() + " epoch" + (o.epochs() == 1 ? "" : "s") + " (" + kind.displayName() + ")");
        writeLosses(history, o.out().resolve("losses.png"));
        System.out.println("Wrote " + o.out().resolve("samples-final.png") + ", samples-epoch-NN.png and losses.png");
        return history;
    }

    private static void writeSamples(Generator g, Tensor noise, Path file, String title) throws IOException {
        float[] px;
        g.eval();
        try (var noGrad = GradMode.noGrad()) {
            px = g.forward(noise).toFloatArray();
        }
        g.train();
        ImageGrid grid = new ImageGrid(28, 28).pixelRange(-1, 1).scale(2).columns(8).title(title);
        for (int i = 0; i < noise.size(0); i++) {
            grid.add(java.util.Arrays.copyOfRange(px, i * IMAGE, (i + 1) * IMAGE));
        }
        grid.write(file);
    }

    private static void writeLosses(List<EpochStats> history, Path file) throws IOException {
        double[] lossD = history.stream().mapToDouble(EpochStats::lossD).toArray();
        double[] lossG = history.stream().mapToDouble(EpochStats::lossG).toArray();
        new LineChart("Discriminator (D) and generator (G) losses, mean per epoch", "epoch", "BCE loss")
                .add("D loss", lossD)
                .add("G loss", lossG)
                .write(file, 720, 440);
    }
}
