package dev.linea.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linea.Generator;
import dev.linea.Tensor;
import dev.linea.autograd.GradMode;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A parameter that is a view into a larger tensor (a slice with an offset, a strided column block, a
 * transpose) is updated by every optimizer exactly as the same values held densely would be, and no
 * element of the base outside the view changes.
 */
class ViewParameterTest {

    static Stream<Arguments> optimizersAndViews() {
        List<Function<List<Tensor>, Optimizer>> optimizers = List.of(
                ps -> new SGD(ps, 0.1),
                ps -> new SGD(ps, 0.1, 0.9, 0, 0.01, true),
                ps -> new SGD(ps, 0.1, 0.9, 0.3, 0, false),
                ps -> new Adam(ps, 0.01, 0.9, 0.999, 1e-8, 0.05),
                ps -> new AdamW(ps, 0.01),
                ps -> new RMSprop(ps, 0.01, 0.99, 1e-8, 0.01, 0.5, true),
                ps -> new RMSprop(ps, 0.01));
        List<String> names = List.of("SGD", "SGD nesterov+wd", "SGD momentum+dampening", "Adam+wd", "AdamW",
                "RMSprop centered+momentum", "RMSprop");
        List<String> views = List.of("rows 1..3 (offset, contiguous)", "columns 2..5 (strided)", "transpose");
        return java.util.stream.IntStream.range(0, optimizers.size()).boxed().flatMap(i -> views.stream()
                .map(v -> Arguments.of(names.get(i) + ", " + v, optimizers.get(i), v)));
    }

    private static Tensor view(Tensor base, String kind) {
        return switch (kind.substring(0, 4)) {
            case "rows" -> base.slice(0, 1, 3);
            case "colu" -> base.slice(1, 2, 5);
            default -> base.t();
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizersAndViews")
    void updatesTheViewLikeADenseCopyAndNothingElse(String name, Function<List<Tensor>, Optimizer> make, String kind) {
        Tensor base = Tensor.randn(new Generator(5), 4, 6);
        float[] before = base.toFloatArray();
        Tensor p = view(base, kind).requiresGrad(true);
        Tensor dense = Tensor.wrap(p.toFloatArray(), p.shape()).requiresGrad(true);
        Optimizer onView = make.apply(List.of(p)), onDense = make.apply(List.of(dense));
        Generator gen = new Generator(9);
        for (int step = 0; step < 3; step++) {
            Tensor g = Tensor.randn(gen, p.shape());
            p.setGrad(g);
            dense.setGrad(g.clone());
            onView.step();
            onDense.step();
            assertArrayEquals(dense.toFloatArray(), p.toFloatArray(), name + ": step " + step);
        }
        // Every element of the base that the view does not cover is as it was.
        Tensor marks = Tensor.zeros(4, 6);
        try (var scope = GradMode.noGrad()) {
            view(marks, kind).fill_(1f);
        }
        float[] after = base.toFloatArray(), covered = marks.toFloatArray();
        for (int i = 0; i < after.length; i++) {
            if (covered[i] == 0) {
                assertEquals(before[i], after[i], name + ": element " + i + " outside the view changed");
            }
        }
    }
}
