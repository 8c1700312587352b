package dev.linea.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.linea.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs the forward/backward cases of a golden file: builds the inputs (those with a {@code .gradN}
 * entry require grad), runs the Java counterpart, compares the output, backpropagates {@code .gout}
 * and compares each input gradient.
 */
final class GoldenCases {
    private GoldenCases() {}

    /** The output of a case and the tensors whose gradients stand for each input (the inputs themselves for ops). */
    record Outcome(Tensor out, List<Tensor> gradHolders) {}

    static Function<List<Tensor>, Outcome> op(Function<List<Tensor>, Tensor> f) {
        return in -> new Outcome(f.apply(in), in);
    }

    static Stream<DynamicTest> run(String file, Map<String, Function<List<Tensor>, Outcome>> impls,
                                   Tolerance forwardTol, Tolerance gradTol) {
        Golden g = Golden.load(file);
        List<String> cases = g.cases(".out");
        TreeSet<String> missing = new TreeSet<>(cases);
        missing.removeAll(impls.keySet());
        TreeSet<String> extra = new TreeSet<>(impls.keySet());
        extra.removeAll(cases);
        DynamicTest coverage = DynamicTest.dynamicTest("every golden case has a Java counterpart", () -> {
            assertEquals(new TreeSet<String>(), missing, "cases in " + file + " without a Java implementation");
            assertEquals(new TreeSet<String>(), extra, "Java cases without golden values in " + file);
        });
        return Stream.concat(Stream.of(coverage), cases.stream().filter(impls::containsKey)
                .map(name -> DynamicTest.dynamicTest(name, () -> runCase(g, name, impls.get(name), forwardTol, gradTol))));
    }

    private static void runCase(Golden g, String name, Function<List<Tensor>, Outcome> f,
                                Tolerance forwardTol, Tolerance gradTol) {
        List<Tensor> ins = new ArrayList<>();
        for (int i = 0; g.has(name + ".in" + i); i++) {
            Tensor v = g.tensor(name + ".in" + i);
            ins.add(g.has(name + ".grad" + i) ? v.requiresGrad(true) : v);
        }
        Outcome o = f.apply(ins);
        forwardTol.assertClose(name + " forward", g.tensor(name + ".out"), o.out());
        if (!o.out().requiresGrad()) {
            return;
        }
        o.out().backward(g.tensor(name + ".gout"));
        for (int i = 0; i < ins.size(); i++) {
            if (g.has(name + ".grad" + i)) {
                Tensor holder = o.gradHolders().get(i);
                assertNotNull(holder.grad(), name + ": input " + i + " got no gradient");
                gradTol.assertClose(name + " gradient of input " + i, g.tensor(name + ".grad" + i), holder.grad());
            }
        }
    }
}
