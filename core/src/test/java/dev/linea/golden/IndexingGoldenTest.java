package dev.linea.golden;

import static dev.linea.golden.GoldenCases.op;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linea.DType;
import dev.linea.Tensor;
import dev.linea.golden.GoldenCases.Outcome;
import dev.linea.nn.functional.F;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Indexing ops, int64/bool results and the reductions std/var/logsumexp/norm against PyTorch
 * ({@code golden/indexing.txt}, from {@code scripts/golden/indexing.py}). The file stores int64 and bool
 * tensors as floats; the cases convert inputs back with {@code toLong()}/{@code bool()}, and an output
 * expected as an integer must come out int64 (or bool) before it is compared.
 */
class IndexingGoldenTest {
    private static final Map<String, Function<List<Tensor>, Outcome>> CASES = new LinkedHashMap<>();

    private static void add(String name, Function<List<Tensor>, Tensor> f) {
        CASES.put(name, op(f));
    }

    /** A case whose output PyTorch gives as int64: checked to be int64, compared as floats. */
    private static void addInt64(String name, Function<List<Tensor>, Tensor> f) {
        CASES.put(name, op(in -> {
            Tensor out = f.apply(in);
            assertEquals(DType.INT64, out.dtype(), name + " gives int64 in PyTorch");
            return out.toFloat();
        }));
    }

    private static Tensor i(List<Tensor> in, int k) {
        return in.get(k).toLong();
    }

    private static Tensor b(List<Tensor> in, int k) {
        return in.get(k).bool();
    }

    static {
        add("gather_dim1", in -> in.get(0).gather(1, i(in, 1)));
        add("gather_dim0", in -> in.get(0).gather(0, i(in, 1)));
        add("gather_neg_dim", in -> in.get(0).gather(-1, i(in, 1)));
        add("scatter_dim1", in -> in.get(0).scatter(1, i(in, 1), in.get(2)));
        add("scatter_value", in -> in.get(0).scatter(0, i(in, 1).view(1, 4), 2.5f));
        add("scatter_add_dim0", in -> in.get(0).scatterAdd(0, i(in, 1), in.get(2)));
        add("scatter_add_src_larger", in -> in.get(0).scatterAdd(1, i(in, 1), in.get(2)));
        add("index_select_dim0", in -> in.get(0).indexSelect(0, i(in, 1)));
        add("index_select_dim1", in -> in.get(0).indexSelect(1, i(in, 1)));
        add("index_add_dim0", in -> in.get(0).indexAdd(0, i(in, 1), in.get(2)));
        add("masked_fill_bcast", in -> in.get(0).maskedFill(b(in, 1), -1.5f));
        add("masked_select", in -> in.get(0).maskedSelect(b(in, 1)));
        add("masked_select_bcast", in -> in.get(0).maskedSelect(b(in, 1)));
        add("masked_scatter", in -> in.get(0).maskedScatter(b(in, 1), in.get(2)));
        add("bool_index_rows", in -> in.get(0).index(b(in, 1)));
        add("bool_index_full", in -> in.get(0).index(b(in, 1)));
        add("int_index", in -> in.get(0).index(i(in, 1)));
        addInt64("nonzero", in -> in.get(0).nonzero());
        add("where_bool", in -> in.get(1).where(b(in, 0), in.get(2)));
        addInt64("eq_sum", in -> i(in, 0).eq(i(in, 1)).sum());
        addInt64("one_hot", in -> F.oneHot(i(in, 0), 5));
        addInt64("one_hot_infer", in -> F.oneHot(i(in, 0), -1));
        add("topk_largest", in -> in.get(0).topk(2, 1, true, true).values());
        addInt64("topk_largest_indices", in -> in.get(0).topk(2, 1, true, true).indices());
        add("topk_smallest_dim0", in -> in.get(0).topk(3, 0, false, true).values());
        addInt64("topk_smallest_dim0_indices", in -> in.get(0).topk(3, 0, false, true).indices());
        add("sort_dim1", in -> in.get(0).sort(1, false).values());
        add("sort_desc_dim0", in -> in.get(0).sort(0, true).values());
        addInt64("sort_desc_dim0_indices", in -> in.get(0).sort(0, true).indices());
        addInt64("argsort_dim1", in -> in.get(0).argsort(1, false));
        add("cumsum_dim0", in -> in.get(0).cumsum(0));
        add("cumsum_dim2", in -> in.get(0).cumsum(2));
        addInt64("cumsum_long", in -> i(in, 0).cumsum(1));
        add("std_all", in -> in.get(0).std());
        add("std_all_biased", in -> in.get(0).std(false));
        add("std_dim1", in -> in.get(0).std(1, true, false));
        add("std_dim0_biased_keep", in -> in.get(0).std(0, false, true));
        add("std_correction2_dims01", in -> in.get(0).std(new int[] {0, 1}, 2f, false));
        add("std_zero", in -> in.get(0).std(1, true, false));
        add("var_all", in -> in.get(0).var());
        add("var_all_biased", in -> in.get(0).var(false));
        add("logsumexp_dim1", in -> in.get(0).logsumexp(1, false));
        add("logsumexp_dims02_keep", in -> in.get(0).logsumexp(new int[] {0, 2}, true));
        add("logsumexp_big", in -> in.get(0).logsumexp(0, false));
        add("norm_all", in -> in.get(0).norm());
        add("norm_p1", in -> in.get(0).norm(1f));
        add("norm_p3", in -> in.get(0).norm(3f));
        add("norm_inf", in -> in.get(0).norm(Float.POSITIVE_INFINITY));
        add("norm_inf_ties", in -> in.get(0).norm(Float.POSITIVE_INFINITY));
        add("norm_neg_inf_dim1", in -> in.get(0).norm(Float.NEGATIVE_INFINITY, new int[] {1}, false));
        add("norm_dim1_keep", in -> in.get(0).norm(2f, new int[] {1}, true));
        add("norm_zero_row", in -> in.get(0).norm(2f, new int[] {1}, false));
        add("norm_p0_dim1", in -> in.get(0).norm(0f, new int[] {1}, false));
        add("max_all_ties_split", in -> in.get(0).max());
        add("min_all_ties_split", in -> in.get(0).min());
        add("embedding", in -> F.embedding(i(in, 0), in.get(1)));
        add("embedding_padding", in -> F.embedding(i(in, 0), in.get(1), 2));
        add("embedding_padding_neg", in -> F.embedding(i(in, 0), in.get(1), -1));
        // The lookup, then the weight after max_norm rescaled its rows in place (the file has it before).
        add("embedding_max_norm", in -> Tensor.cat(List.of(
                F.embedding(i(in, 0), in.get(1), null, 0.8f, 2f, false).reshape(-1), in.get(1).reshape(-1)), 0));
        add("embedding_max_norm_p1_padding", in -> Tensor.cat(List.of(
                F.embedding(i(in, 0), in.get(1), 1, 1.1f, 1f, false).reshape(-1), in.get(1).reshape(-1)), 0));
        add("embedding_scale_grad_by_freq", in -> F.embedding(i(in, 0), in.get(1), 2, null, 2f, true));
    }

    @TestFactory
    Stream<DynamicTest> indexingMatchesPyTorch() {
        return GoldenCases.run("indexing.txt", CASES, OpsGoldenTest.FORWARD_TOL, OpsGoldenTest.GRAD_TOL);
    }
}
