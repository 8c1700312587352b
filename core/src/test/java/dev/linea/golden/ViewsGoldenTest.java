package dev.linea.golden;

import static dev.linea.golden.GoldenCases.op;

import dev.linea.Tensor;
import dev.linea.golden.GoldenCases.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * In-place ops on views of tensors that require grad against PyTorch ({@code golden/views.txt}, from
 * {@code scripts/golden/views.py}): each case writes into a view (select, narrow, slice with a step,
 * t, permute, a view of a view, two views of one base, a fresh buffer) and returns the base or what an
 * older view reads; values and the gradient of every input are compared.
 */
class ViewsGoldenTest {
    private static final Map<String, Function<List<Tensor>, Outcome>> CASES = new LinkedHashMap<>();

    private static void add(String name, Function<List<Tensor>, Tensor> f) {
        CASES.put(name, op(f));
    }

    static {
        add("select_mul", in -> {
            Tensor y = in.get(0).mul(2f);
            y.select(0, 0).mul_(3f);
            return y;
        });
        add("narrow_zero", in -> {
            Tensor y = in.get(0).mul(1.5f);
            y.narrow(1, 0, 2).zero_();
            return y;
        });
        add("slice_add", in -> {
            Tensor y = in.get(0).mul(2f);
            y.slice(1, 1, 3).add_(in.get(1), 0.5f);
            return y;
        });
        add("step_slice_mul", in -> {
            Tensor y = in.get(0).mul(in.get(0));
            y.slice(1, 0, 4, 2).mul_(in.get(1));
            return y;
        });
        add("transpose_add", in -> {
            Tensor y = in.get(0).mul(2f);
            y.t().add_(in.get(1));
            return y;
        });
        add("view_of_view_mul", in -> {
            Tensor y = in.get(0).mul(2f);
            y.slice(0, 1, 3).t().select(0, 0).mul_(in.get(1));
            return y;
        });
        add("permute_fill", in -> {
            Tensor y = in.get(0).mul(3f);
            y.permute(2, 0, 1).select(0, 1).fill_(0.5f);
            return y;
        });
        add("two_views", in -> {
            Tensor y = in.get(0).mul(2f);
            Tensor a = y.select(0, 0);
            Tensor b = y.select(1, 1);
            a.mul_(in.get(1));
            b.add_(in.get(2));
            return y.mul(a);
        });
        add("base_then_old_view", in -> {
            Tensor y = in.get(0).mul(2f);
            Tensor a = y.select(0, 1);
            y.mul_(in.get(1));
            return a.mul(3f);
        });
        add("buf_copy", in -> {
            Tensor buf = Tensor.zeros(4, 3);
            buf.select(0, 1).copy_(in.get(0));
            buf.select(0, 3).copy_(in.get(1).mul(2f));
            return buf;
        });
        add("copy_into_view", in -> {
            Tensor y = in.get(0).mul(in.get(0)).add(1f);
            y.select(0, 0).copy_(in.get(1));
            return y.mul(in.get(0));
        });
        add("setitem_column", in -> { // h[:, 0] = v is h.select(1, 0).copy_(v)
            Tensor h = in.get(0).mul(1f);
            h.select(1, 0).copy_(in.get(1));
            return h;
        });
        add("slice_sub", in -> {
            Tensor y = in.get(0).mul(2f);
            y.slice(1, 1, 3).sub_(in.get(1), 1.5f);
            return y;
        });
        add("column_div", in -> {
            Tensor y = in.get(0).mul(in.get(0));
            y.select(1, 0).div_(in.get(1));
            y.select(0, 1).div_(4f);
            return y;
        });
    }

    @TestFactory
    Stream<DynamicTest> inPlaceOpsOnViewsMatchPyTorch() {
        return GoldenCases.run("views.txt", CASES, OpsGoldenTest.FORWARD_TOL, OpsGoldenTest.GRAD_TOL);
    }
}
