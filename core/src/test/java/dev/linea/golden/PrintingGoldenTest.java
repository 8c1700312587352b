package dev.linea.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linea.Tensor;
import dev.linea.nn.functional.F;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Tensor#toString()} against PyTorch's exact printed strings ({@code golden/printing.txt}):
 * fixed and scientific notation, whole numbers, 0-d, empty, 1-3 dimensions, wrapping, summarising
 * beyond 1000 elements, {@code requires_grad=True} and {@code grad_fn=<...>} names.
 */
class PrintingGoldenTest {
    private static final Map<String, Function<Tensor, Tensor>> RECIPES = new LinkedHashMap<>();

    static {
        RECIPES.put("plain", x -> x);
        RECIPES.put("requires_grad", x -> x.requiresGrad(true));
        RECIPES.put("mul_tensor", x -> x.mul(x));
        RECIPES.put("mul_scalar", x -> x.mul(2f));
        RECIPES.put("add_scalar", x -> x.add(1f));
        RECIPES.put("sub_scalar", x -> x.sub(1f));
        RECIPES.put("div_scalar", x -> x.div(2f));
        RECIPES.put("sum", Tensor::sum);
        RECIPES.put("sum_dim", x -> x.sum(1, false));
        RECIPES.put("mean", Tensor::mean);
        RECIPES.put("exp", Tensor::exp);
        RECIPES.put("relu", Tensor::relu);
        RECIPES.put("sigmoid", Tensor::sigmoid);
        RECIPES.put("tanh", Tensor::tanh);
        RECIPES.put("softmax", x -> x.softmax(-1));
        RECIPES.put("log_softmax", x -> x.logSoftmax(-1));
        RECIPES.put("neg", Tensor::neg);
        RECIPES.put("view", x -> x.view(-1));
        RECIPES.put("pow", x -> x.pow(2f));
        RECIPES.put("linear", x -> F.linear(x, Tensor.ones(2, x.size(1)), Tensor.zeros(2)));
        RECIPES.put("matmul", x -> x.matmul(x.t()));
        RECIPES.put("long", Tensor::toLong);
        RECIPES.put("bool", Tensor::bool);
    }

    private record Case(String name, String recipe, Tensor x, String expected) {}

    private static List<Case> load() {
        List<Case> cases = new ArrayList<>();
        List<String> lines = Golden.lines("printing.txt");
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.startsWith("@case ")) {
                continue;
            }
            String[] head = l.split(" ");
            Tensor x = Golden.parse("printing.txt (@case at line " + (i + 1) + ")", List.of(lines.get(i + 1))).tensor("x");
            if (!lines.get(i + 2).equals("@expect")) {
                throw new IllegalStateException("printing.txt: @expect missing after line " + (i + 2));
            }
            StringBuilder sb = new StringBuilder();
            int j = i + 3;
            for (; !lines.get(j).equals("@end"); j++) {
                sb.append(sb.isEmpty() ? "" : "\n").append(lines.get(j));
            }
            cases.add(new Case(head[1], head[2], x, sb.toString()));
            i = j;
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> toStringMatchesPyTorch() {
        return load().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Function<Tensor, Tensor> recipe = RECIPES.get(c.recipe());
            Tensor x = c.recipe().equals("plain") || c.recipe().equals("requires_grad") ? c.x() : c.x().requiresGrad(true);
            assertEquals(c.expected(), recipe.apply(x).toString(), c.name() + " (recipe " + c.recipe() + ")");
        }));
    }
}
