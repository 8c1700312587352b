package dev.linea.golden;

import static dev.linea.golden.GoldenCases.op;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Tensor operations against PyTorch ({@code golden/ops.txt}): forward values within 1e-5 and input
 * gradients within 1e-4, relative plus absolute ({@code |a - e| <= tol + tol·|e|}).
 */
class OpsGoldenTest {
    static final Tolerance FORWARD_TOL = Tolerance.allclose(1e-5, 1e-5);
    static final Tolerance GRAD_TOL = Tolerance.allclose(1e-4, 1e-4);

    private static final Map<String, Function<List<Tensor>, Outcome>> CASES = new LinkedHashMap<>();

    private static void add(String name, Function<List<Tensor>, Tensor> f) {
        CASES.put(name, op(f));
    }

    static {
        add("add", in -> in.get(0).add(in.get(1)));
        add("sub", in -> in.get(0).sub(in.get(1)));
        add("mul", in -> in.get(0).mul(in.get(1)));
        add("div", in -> in.get(0).div(in.get(1)));
        add("add_bcast", in -> in.get(0).add(in.get(1)));
        add("sub_bcast", in -> in.get(0).sub(in.get(1)));
        add("mul_bcast", in -> in.get(0).mul(in.get(1)));
        add("div_bcast", in -> in.get(0).div(in.get(1)));
        add("mul_scalar_tensor", in -> in.get(0).mul(in.get(1)));
        add("sub_scalar_tensor", in -> in.get(0).sub(in.get(1)));
        add("add_s", in -> in.get(0).add(1.5f));
        add("sub_s", in -> in.get(0).sub(0.75f));
        add("mul_s", in -> in.get(0).mul(-2.5f));
        add("div_s", in -> in.get(0).div(3f));
        add("rsub_s", in -> in.get(0).rsub(2f));
        add("neg", in -> in.get(0).neg());
        add("exp", in -> in.get(0).exp());
        add("log", in -> in.get(0).log());
        add("sqrt", in -> in.get(0).sqrt());
        add("pow_s", in -> in.get(0).pow(2.5f));
        add("pow_neg", in -> in.get(0).pow(-1.5f));
        add("pow_t", in -> in.get(0).pow(in.get(1)));
        add("abs", in -> in.get(0).abs());
        add("clamp", in -> in.get(0).clamp(-0.5f, 0.5f));
        add("clamp_min", in -> in.get(0).clampMin(-0.5f));
        add("clamp_max", in -> in.get(0).clampMax(0.5f));
        add("maximum", in -> in.get(0).maximum(in.get(1)));
        add("minimum", in -> in.get(0).minimum(in.get(1)));
        add("maximum_bcast", in -> in.get(0).maximum(in.get(1)));
        add("relu", in -> in.get(0).relu());
        add("leaky_relu", in -> in.get(0).leakyRelu(0.1f));
        add("sigmoid", in -> in.get(0).sigmoid());
        add("tanh", in -> in.get(0).tanh());
        add("gelu", in -> in.get(0).gelu());
        for (int d : new int[] {0, 1, 2, -1}) {
            String suffix = d >= 0 ? String.valueOf(d) : "m1";
            add("softmax_" + suffix, in -> in.get(0).softmax(d));
            add("log_softmax_" + suffix, in -> in.get(0).logSoftmax(d));
        }
        add("sum", in -> in.get(0).sum());
        add("sum_dim1", in -> in.get(0).sum(1, false));
        add("sum_dim0_keep", in -> in.get(0).sum(0, true));
        add("sum_dims02", in -> in.get(0).sum(new int[] {0, 2}, false));
        add("mean", in -> in.get(0).mean());
        add("mean_dim2", in -> in.get(0).mean(2, false));
        add("mean_dims12_keep", in -> in.get(0).mean(new int[] {1, 2}, true));
        add("var_dim1", in -> in.get(0).var(1, true, false));
        add("var_dim2_biased_keep", in -> in.get(0).var(2, false, true));
        add("max_all", in -> in.get(0).max());
        add("min_all", in -> in.get(0).min());
        add("max_dim1", in -> in.get(0).max(1, false));
        add("min_dim2_keep", in -> in.get(0).min(2, true));
        add("argmax_dim1", in -> in.get(0).argmax(1, false));
        for (String m : new String[] {"matmul_2d", "matmul_batched", "matmul_bcast", "matmul_vec_vec", "matmul_mat_vec",
                "matmul_vec_mat", "matmul_vec_batched"}) {
            add(m, in -> in.get(0).matmul(in.get(1)));
        }
        add("linear", in -> F.linear(in.get(0), in.get(1), in.get(2)));
        add("linear_nobias", in -> F.linear(in.get(0), in.get(1), null));
        add("linear_3d", in -> F.linear(in.get(0), in.get(1), in.get(2)));
        add("transpose", in -> in.get(0).transpose(0, 2).mul(1f));
        add("permute", in -> in.get(0).permute(2, 0, 1).contiguous());
        add("view", in -> in.get(0).view(6, 4));
        add("reshape_t", in -> in.get(0).transpose(0, 1).reshape(3, 8));
        add("flatten", in -> in.get(0).flatten());
        add("squeeze", in -> in.get(0).squeeze(1));
        add("unsqueeze", in -> in.get(0).unsqueeze(1));
        add("slice_step", in -> in.get(0).slice(0, 1, 5).slice(1, 0, 6, 2));
        add("select", in -> in.get(0).select(1, 2));
        add("narrow", in -> in.get(0).narrow(1, 2, 3));
        add("expand", in -> in.get(0).expand(2, 3, 4));
        add("cat_dim1", in -> Tensor.cat(List.of(in.get(0), in.get(1)), 1));
        add("stack_dim1", in -> Tensor.stack(List.of(in.get(0), in.get(1)), 1));
        add("where", in -> in.get(1).where(in.get(0).ne(0f), in.get(2)));
        specials();
    }

    /** NaN, ±Inf and ±0 through the ops built from compares, with finite and with infinite/NaN upstream gradients. */
    private static void specials() {
        for (String wild : new String[] {"", "_wild"}) {
            add("relu_special" + wild, in -> in.get(0).relu());
            add("clamp_special" + wild, in -> in.get(0).clamp(-0.5f, 0.5f));
            add("clamp_min_special" + wild, in -> in.get(0).clampMin(0f));
            add("clamp_max_special" + wild, in -> in.get(0).clampMax(-0f));
            add("maximum_special" + wild, in -> in.get(0).maximum(in.get(1)));
            add("minimum_special" + wild, in -> in.get(0).minimum(in.get(1)));
        }
        add("leaky_relu_special", in -> in.get(0).leakyRelu(0.1f));
        add("abs_special", in -> in.get(0).abs());
        add("sign_special", in -> in.get(0).sign());
        add("clamp_min_nan", in -> in.get(0).clampMin(Float.NaN));
        add("clamp_max_nan", in -> in.get(0).clampMax(Float.NaN));
        add("clamp_nan_max", in -> in.get(0).clamp(0f, Float.NaN));
        add("maximum_special_bcast", in -> in.get(0).maximum(in.get(1)));
        add("max_all_special", in -> in.get(0).max());
        add("min_all_special", in -> in.get(0).min());
        add("max_all_ties", in -> in.get(0).max());
        add("min_all_ties", in -> in.get(0).min());
        add("max_all_infinities", in -> in.get(0).max());
        add("max_dim1_special", in -> in.get(0).max(1, false));
        add("min_dim0_special", in -> in.get(0).min(0, false));
        add("max_dim0_special_wild", in -> in.get(0).max(0, false));
        add("argmax_dim1_special", in -> in.get(0).argmax(1, false));
        add("argmin_dim0_special", in -> in.get(0).argmin(0, false));
        add("argmax_all_special", in -> in.get(0).argmax());
        add("argmax_dim1_infinities", in -> in.get(0).argmax(1, false));
        add("where_special_wild", in -> in.get(1).where(in.get(0).ne(0f), in.get(2)));
        add("max_pool2d_special", in -> F.maxPool2d(in.get(0), 2));
        add("max_pool2d_special_pad", in -> F.maxPool2d(in.get(0), new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}, false));
        add("max_pool2d_special_ceil", in -> F.maxPool2d(in.get(0), new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0},
                new int[] {1, 1}, true));
        add("mlp_nan_weight", in -> F.crossEntropy(F.linear(F.relu(F.linear(in.get(0), in.get(1), in.get(2))),
                in.get(3), in.get(4)), Tensor.ofLongs(1, 0)));
    }

    @TestFactory
    Stream<DynamicTest> opsMatchPyTorch() {
        return GoldenCases.run("ops.txt", CASES, FORWARD_TOL, GRAD_TOL);
    }

    /**
     * Ops that only select or scale their input give PyTorch's exact bits on NaN, ±Inf and ±0, signs of zero
     * included (the tolerance above counts -0 equal to 0). Not maximum/minimum or the reductions: at a tie
     * of -0 and 0 PyTorch's own answer depends on whether its vectorized loop ran.
     */
    @TestFactory
    Stream<DynamicTest> selectingOpsMatchPyTorchBitForBitOnSpecialValues() {
        Golden g = Golden.load("ops.txt");
        return Stream.of("relu_special", "leaky_relu_special", "abs_special", "sign_special", "clamp_special",
                "clamp_min_special", "clamp_max_special", "clamp_min_nan", "max_pool2d_special", "max_pool2d_special_pad",
                "max_pool2d_special_ceil").map(name -> DynamicTest.dynamicTest(name, () -> {
                    List<Tensor> in = List.of(g.tensor(name + ".in0"));
                    float[] want = g.tensor(name + ".out").toFloatArray();
                    float[] got = CASES.get(name).apply(in).out().toFloatArray();
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]),
                                name + " element " + i + ": PyTorch gives " + want[i] + ", Linea " + got[i]);
                    }
                }));
    }
}
