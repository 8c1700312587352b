package dev.linea.bench.jmh;

import dev.linea.Generator;
import dev.linea.Linea;
import dev.linea.Tensor;
import dev.linea.backend.Parallel;
import dev.linea.models.CNN;
import dev.linea.nn.CrossEntropyLoss;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Forward + backward of the issue's {@link CNN} (Conv 1→32 3×3, ReLU, MaxPool 2, Conv 32→64 3×3, ReLU, MaxPool 2,
 * Flatten, Linear 1600→128, ReLU, Linear 128→10, cross-entropy) on a batch of 64 random 28×28 images.
 * One op = one batch. The whole training step beside PyTorch is workload W4 ({@code ./linea bench W4},
 * {@code bench/compare/run.sh}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBenchmark {
    public static final int BATCH = 64;

    @Param({"1", "2"})
    public int threads;

    private CNN model;
    private Tensor images, labels;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();

    @Setup
    public void setup() {
        Parallel.setNumThreads(threads);
        Linea.manualSeed(0);
        model = new CNN();
        Generator gen = new Generator(1);
        images = Tensor.rand(gen, BATCH, 1, 28, 28);
        labels = Tensor.randint(gen, 0, 10, BATCH);
    }

    /** One training step without the optimizer update: forward, loss, backward. */
    @Benchmark
    public float step() {
        model.zeroGrad();
        Tensor l = loss.forward(model.forward(images), labels);
        l.backward();
        return l.item();
    }
}
