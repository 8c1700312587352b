package dev.linea;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Embedding;
import dev.linea.nn.NLLLoss;
import dev.linea.nn.functional.F;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Bad indices, masks and dtypes give PyTorch 1.13's messages (each string below is what PyTorch prints). */
class IndexingErrorsTest {
    private static final Tensor X = Tensor.randn(new Generator(1), 3, 4);

    private static String message(Supplier<?> f) {
        return assertThrows(RuntimeException.class, f::get).getMessage();
    }

    @Test
    void gatherAndScatterNameTheIndexOutOfRange() {
        assertEquals("index 5 is out of bounds for dimension 1 with size 4",
                message(() -> X.gather(1, Tensor.ofLongs(new long[] {0, 1, 5}, 3, 1))));
        assertEquals("index -5 is out of bounds for dimension 1 with size 4",
                message(() -> X.gather(1, Tensor.ofLongs(new long[] {0, 1, -5}, 3, 1))));
        assertEquals("gather(): Expected dtype int64 for index", message(() -> X.gather(1, Tensor.zeros(3, 1))));
        assertEquals("index 9 is out of bounds for dimension 1 with size 4",
                message(() -> Tensor.zeros(3, 4).scatter(1, Tensor.ofLongs(new long[] {0, 1, 9}, 3, 1), Tensor.ones(3, 1))));
        assertEquals("index 9 is out of bounds for dimension 1 with size 4",
                message(() -> Tensor.zeros(3, 4).scatterAdd(1, Tensor.ofLongs(new long[] {0, 1, 9}, 3, 1), Tensor.ones(3, 1))));
        assertEquals("Index tensor must have the same number of dimensions as input tensor",
                message(() -> X.gather(1, Tensor.ofLongs(0, 1))));
    }

    @Test
    void indexSelectAndEmbeddingSayIndexOutOfRangeInSelf() {
        assertEquals("index out of range in self", message(() -> X.indexSelect(0, Tensor.ofLongs(0, 3))));
        assertEquals("index out of range in self", message(() -> X.indexSelect(0, Tensor.ofLongs(0, -1))));
        assertEquals("index_select(): Expected dtype int32 or int64 for index",
                message(() -> X.indexSelect(0, Tensor.of(0f, 1f))));
        assertEquals("index out of range in self", message(() -> F.embedding(Tensor.ofLongs(0, 5), Tensor.randn(3, 2))));
        assertEquals("Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; "
                + "but got torch.FloatTensor instead (while checking arguments for embedding)",
                message(() -> F.embedding(Tensor.of(0f, 1f), Tensor.randn(3, 2))));
        assertEquals("Padding_idx must be within num_embeddings", message(() -> new Embedding(3, 2, 5)));
    }

    @Test
    void masksMustBeBool() {
        assertEquals("masked_select: expected BoolTensor or ByteTensor for mask",
                message(() -> X.maskedSelect(Tensor.ofLongs(1, 0, 0, 0))));
        assertEquals("The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 4] at index 0",
                message(() -> X.index(Tensor.ofBools(true, false))));
    }

    @Test
    void oneHotTopkAndReductionsCheckTheirInput() {
        assertEquals("Class values must be smaller than num_classes.", message(() -> F.oneHot(Tensor.ofLongs(0, 3, 1), 3)));
        assertEquals("one_hot is only applicable to index tensor.", message(() -> F.oneHot(Tensor.of(0f, 3f), -1)));
        assertEquals("Class values must be non-negative.", message(() -> F.oneHot(Tensor.ofLongs(0, -1, 1), -1)));
        assertEquals("selected index k out of range", message(() -> X.topk(5)));
        assertEquals("std and var only support floating point and complex dtypes", message(() -> Tensor.ofLongs(1, 2).std()));
        assertEquals("norm(): input dtype should be either floating point or complex. Got Long instead.",
                message(() -> Tensor.ofLongs(1, 2).norm()));
    }

    @Test
    void classificationLossesTakeInt64TargetsOnly() {
        assertEquals("expected scalar type Long but found Float",
                message(() -> new CrossEntropyLoss().forward(X, Tensor.of(1f, 2f, 0f))));
        assertEquals("expected scalar type Long but found Float",
                message(() -> new NLLLoss().forward(X, Tensor.of(1f, 2f, 0f))));
        assertEquals("Target 7 is out of bounds.", message(() -> new CrossEntropyLoss().forward(X, Tensor.ofLongs(1, 2, 7))));
        assertEquals("Target -3 is out of bounds.", message(() -> new NLLLoss().forward(X, Tensor.ofLongs(1, 2, -3))));
    }

    @Test
    void embeddingModuleZeroesItsPaddingRowAndKeepsItsGradientZero() {
        Embedding e = new Embedding(4, 3, -1);
        assertEquals(3, e.paddingIdx);
        assertEquals("Embedding(4, 3, padding_idx=3)", e.toString());
        assertArrayEquals(new float[] {0f, 0f, 0f}, e.weight.select(0, 3).toFloatArray());
        e.forward(Tensor.ofLongs(new long[] {3, 1, 3, 0}, 2, 2)).sum().backward();
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0}, e.weight.grad().toFloatArray());
        assertArrayEquals(new int[] {2, 2, 3}, e.forward(Tensor.ofLongs(new long[] {3, 1, 3, 0}, 2, 2)).shape());
    }

    @Test
    void embeddingModuleWithMaxNormKeepsLookedUpRowsWithinItAndPrintsAsPyTorch() {
        Embedding e = new Embedding(10, 3, 0, 1.0f, 1.0f, true);
        assertEquals("Embedding(10, 3, padding_idx=0, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True)", e.toString());
        assertEquals("Embedding(10, 3, max_norm=2.5)", new Embedding(10, 3, null, 2.5f, 2f, false).toString());
        int before = e.weight.version();
        e.forward(Tensor.ofLongs(new long[] {4, 7, 4}, 3));
        for (int row : new int[] {4, 7}) {
            assertTrue(e.weight.select(0, row).abs().sum().item() <= 1.0f, "row " + row + " within max_norm in L1");
        }
        assertTrue(e.weight.version() > before, "renormalising rows changes the weight's version, as in PyTorch");
    }

    @Test
    void topkSortAndNonzeroGiveInt64Indices() {
        ValuesIndices t = Tensor.of(1f, 5f, 3f).topk(2);
        assertEquals("tensor([1, 2])", t.indices().toString());
        assertEquals("tensor([5., 3.])", t.values().toString());
        assertEquals("tensor([[0],\n        [2]])", Tensor.of(1f, 0f, 2f).nonzero().toString());
        assertEquals("tensor([[1, 1],\n        [1, 2]])",
                Tensor.ofBools(true, false, true, true).reshape(2, 2).cumsum(1).toString());
        // NaN sorts last, as PyTorch's: torch.tensor([1., float('nan'), 2.]).argsort() is tensor([0, 2, 1])
        assertEquals("tensor([0, 2, 1])", Tensor.of(1f, Float.NaN, 2f).argsort(0, false).toString());
    }
}
