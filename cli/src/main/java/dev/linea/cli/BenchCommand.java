package dev.linea.cli;

import dev.linea.bench.MachineInfo;
import dev.linea.bench.Workloads;
import dev.linea.data.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code linea bench [W1|W2|W4|W5|W6|W7 ...] [--batch-size N] [--threads N]}: runs the reference workloads and
 * prints one JSON object per figure. Without workloads it runs them all; without --batch-size and
 * --threads it runs W1 at batch 32 and 256, and every workload on 1 and 2 threads.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the reference workloads; one JSON line per figure.",
                "W1: train the tutorial FCNN on Fashion-MNIST (samples/s); W2: inference, batch 1000 (samples/s); "
                        + "W4: train the CNN, batch 64 (samples/s); W5: sgemm (GFLOP/s); W6: single-image inference latency, p50/p99 (us); "
                        + "W7: LSTM training steps (steps/s). "
                        + "bench/compare/run.sh puts these beside PyTorch and onnxruntime."})
final class BenchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "WORKLOAD", arity = "0..*", description = "W1, W2, W4, W5, W6, W7 (default: all).")
    List<String> workloads = new ArrayList<>();

    @Option(names = "--batch-size", paramLabel = "N", description = "W1 batch size (default: 32 and 256).")
    Integer batchSize;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: 1 and 2).")
    Integer threads;

    @Option(names = "--sizes", split = ",", paramLabel = "N,N", description = "W5 square sizes (default: 64,128,256,512,1024,2048).")
    int[] sizes = {64, 128, 256, 512, 1024, 2048};

    private static final List<String> ALL = List.of("W1", "W2", "W4", "W5", "W6", "W7");

    @Override
    public Integer call() throws Exception {
        List<String> todo = workloads.isEmpty() ? ALL : workloads;
        for (String w : todo) {
            if (!ALL.contains(w.toUpperCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("unknown workload '" + w + "': choose from " + String.join(", ", ALL));
            }
        }
        int[] threadList = threads != null ? new int[] {threads} : new int[] {1, 2};
        int[] batches = batchSize != null ? new int[] {batchSize} : new int[] {32, 256};
        System.err.println("linea bench: cpu " + MachineInfo.cpu() + ", " + Runtime.getRuntime().availableProcessors() + " processors");
        System.err.println("linea bench: kernels " + MachineInfo.kernels());
        Workloads.InMemory train = null, test = null;
        for (String w : todo) {
            switch (w.toUpperCase(java.util.Locale.ROOT)) {
                case "W1" -> {
                    if (train == null) {
                        train = Workloads.InMemory.load(Split.TRAIN);
                        System.err.println("linea bench: W1 data: " + train.source());
                    }
                    for (int b : batches) {
                        for (int t : threadList) {
                            System.out.println(Workloads.w1(train, b, t).json());
                        }
                    }
                }
                case "W4" -> {
                    if (train == null) {
                        train = Workloads.InMemory.load(Split.TRAIN);
                    }
                    for (int t : threadList) {
                        System.out.println(Workloads.w4(train, t).json());
                    }
                }
                case "W2", "W6" -> {
                    if (test == null) {
                        test = Workloads.InMemory.load(Split.TEST);
                    }
                    for (int t : threadList) {
                        if (w.equalsIgnoreCase("W2")) {
                            System.out.println(Workloads.w2(test, t).json());
                        } else {
                            Workloads.w6(test, t).forEach(f -> System.out.println(f.json()));
                        }
                    }
                }
                case "W7" -> {
                    for (int t : threadList) {
                        System.out.println(Workloads.w7(t).json());
                    }
                }
                default -> {
                    for (int t : threadList) {
                        Workloads.w5(t, sizes).forEach(f -> System.out.println(f.json()));
                    }
                }
            }
        }
        return 0;
    }
}
