package dev.linea.golden;

import dev.linea.autograd.GradMode;
import dev.linea.Tensor;
import dev.linea.golden.GoldenCases.Outcome;
import dev.linea.nn.Dropout;
import dev.linea.nn.Flatten;
import dev.linea.nn.GELU;
import dev.linea.nn.LeakyReLU;
import dev.linea.nn.Linear;
import dev.linea.nn.LogSoftmax;
import dev.linea.nn.Module;
import dev.linea.nn.ReLU;
import dev.linea.nn.Sequential;
import dev.linea.nn.Sigmoid;
import dev.linea.nn.Softmax;
import dev.linea.nn.Tanh;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Layers with fixed weights against PyTorch ({@code golden/nn.txt}): outputs within 1e-5, input and
 * parameter gradients within 1e-4 (relative plus absolute).
 */
class NnGoldenTest {
    private static final Map<String, Function<List<Tensor>, Outcome>> CASES = new LinkedHashMap<>();

    /** A Linear layer whose weight (and bias) are set to the golden inputs; gradients are read from its parameters. */
    private static Outcome linear(List<Tensor> in, boolean bias) {
        Tensor w = in.get(1);
        Linear layer = new Linear(w.size(1), w.size(0), bias);
        setParameters(layer, in.subList(1, in.size()));
        return new Outcome(layer.forward(in.get(0)), bias ? List.of(in.get(0), layer.weight, layer.bias)
                : List.of(in.get(0), layer.weight));
    }

    private static void setParameters(Module m, List<Tensor> values) {
        try (var g = GradMode.noGrad()) {
            for (int i = 0; i < values.size(); i++) {
                m.parameters().get(i).copy_(values.get(i));
            }
        }
    }

    private static void layer(String name, Supplier<Module> make) {
        CASES.put(name, in -> new Outcome(make.get().forward(in.get(0)), in));
    }

    static {
        CASES.put("Linear", in -> linear(in, true));
        CASES.put("Linear_nobias", in -> linear(in, false));
        layer("ReLU", ReLU::new);
        layer("LeakyReLU", () -> new LeakyReLU(0.2f));
        layer("LeakyReLU_default", LeakyReLU::new);
        layer("Sigmoid", Sigmoid::new);
        layer("Tanh", Tanh::new);
        layer("GELU", GELU::new);
        layer("Softmax", () -> new Softmax(1));
        layer("LogSoftmax", () -> new LogSoftmax(1));
        layer("Flatten", Flatten::new);
        layer("Dropout_eval", () -> new Dropout(0.5f).eval());
        CASES.put("MLP", in -> {
            Sequential mlp = new Sequential(new Linear(3, 5), new ReLU(), new Linear(5, 2));
            setParameters(mlp, in.subList(1, 5));
            List<Tensor> holders = new java.util.ArrayList<>();
            holders.add(in.get(0));
            holders.addAll(mlp.parameters());
            return new Outcome(mlp.forward(in.get(0)), holders);
        });
    }

    @TestFactory
    Stream<DynamicTest> layersMatchPyTorch() {
        return GoldenCases.run("nn.txt", CASES, OpsGoldenTest.FORWARD_TOL, OpsGoldenTest.GRAD_TOL);
    }
}
