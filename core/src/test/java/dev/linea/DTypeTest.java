package dev.linea;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** int64 and bool tensors: creation, conversion, promotion, exactness, printing (strings are PyTorch 1.13's). */
class DTypeTest {
    @Test
    void randintArgmaxAndArangeAreInt64() {
        assertEquals(DType.INT64, Tensor.randint(0, 5, 3).dtype());
        assertEquals(DType.INT64, Tensor.randn(3, 4).argmax(1, false).dtype());
        assertEquals(DType.INT64, Tensor.randn(3, 4).argmin(0, true).dtype());
        assertEquals(DType.INT64, Tensor.arange(4).dtype());
        assertEquals(DType.FLOAT32, Tensor.arange(0f, 4f, 1f).dtype());
    }

    @Test
    void int64StaysExactAbove2To24() {
        long big = (1L << 40) + 1;
        Tensor t = Tensor.ofLongs(big, 3);
        assertEquals(big, t.toLongArray()[0]);
        assertEquals(big + 3, t.sum().itemLong());
        assertArrayEquals(new long[] {2 * big, 6}, t.add(t).toLongArray());
        assertArrayEquals(new long[] {big - 1, 2}, t.sub(Tensor.ofLongs(1)).toLongArray());
        assertEquals("tensor([False,  True])", t.eq(Tensor.ofLongs(big - 1 + 1 - 1, 3)).toString());
        assertEquals("tensor([1099511627777,             3])", t.toString());
        assertArrayEquals(new long[] {big, 3}, t.view(2, 1).t().contiguous().toLongArray());
        assertEquals(DType.INT64, t.reshape(1, 2).transpose(0, 1).dtype());
    }

    @Test
    void comparisonsGiveBoolAndWhereTakesIt() {
        Tensor x = Tensor.of(1f, -2f, 3f);
        Tensor m = x.gt(0f);
        assertEquals(DType.BOOL, m.dtype());
        assertEquals("tensor([ True, False,  True])", m.toString());
        assertArrayEquals(new float[] {1f, 0f, 3f}, x.where(m, Tensor.scalar(0f)).toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> x.where(Tensor.of(1f, 0f, 1f), x));
        assertEquals("where expected condition to be a boolean tensor, but got a tensor with dtype Float", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.where(Tensor.ofLongs(1, 0, 1), x));
        assertEquals("where expected condition to be a boolean tensor, but got a tensor with dtype Long", e.getMessage());
    }

    @Test
    void sumOfBoolIsInt64AndMeanRefusesIntegers() {
        Tensor m = Tensor.ofBools(true, true, false);
        assertEquals(DType.INT64, m.sum().dtype());
        assertEquals("tensor(2)", m.sum().toString());
        assertEquals("tensor([2, 1])", Tensor.ofLongs(new long[] {1, 1, 1, 0}, 2, 2).sum(1, false).toString());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.ofLongs(1, 2).mean());
        assertEquals("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
                + "Got: Long", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, m::mean);
        assertEquals("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
                + "Got: Bool", e.getMessage());
    }

    @Test
    void conversionsTruncateAndTestNonZero() {
        assertEquals("tensor([ 3, -2])", Tensor.of(3.7f, -2.7f).toLong().toString());
        assertEquals("tensor([ True, False])", Tensor.of(3.7f, 0f).bool().toString());
        assertEquals("tensor([1., 0.])", Tensor.ofBools(true, false).toFloat().toString());
        assertEquals("tensor([ True, False])", Tensor.ofLongs(1, 0).bool().toString());
        Tensor f = Tensor.of(1f);
        assertEquals(f, f.to(DType.FLOAT32));
    }

    @Test
    void mixingWithFloatPromotesToFloat() {
        assertEquals("tensor([2.5000, 4.0000])", Tensor.ofLongs(1, 2).add(Tensor.of(1.5f, 2f)).toString());
        assertEquals("tensor([2.5000, 5.0000])", Tensor.ofLongs(1, 2).mul(2.5f).toString());
        assertEquals("tensor([0.5000, 1.0000])", Tensor.ofLongs(1, 2).div(Tensor.ofLongs(2, 2)).toString());
        assertEquals("tensor([4, 6])", Tensor.ofLongs(1, 2).add(Tensor.ofLongs(3, 4)).toString());
        assertEquals("tensor([2.7183, 7.3891])", Tensor.ofLongs(1, 2).exp().toString());
        assertEquals("tensor([-1])", Tensor.ofLongs(1).neg().toString());
    }

    @Test
    void boolAndInt64KeepTheirDtypeThroughArithmeticAndWhere() {
        assertEquals("tensor([True, True])", Tensor.ofBools(true, false).add(Tensor.ofBools(true, true)).toString());
        assertEquals("tensor([ True, False])", Tensor.ofBools(true, false).mul(Tensor.ofBools(true, true)).toString());
        long big = (1L << 60) + 1;
        Tensor w = Tensor.where(Tensor.ofBools(true, false), Tensor.ofLongs(big, big), Tensor.ofLongs(-1, -2));
        assertEquals(DType.INT64, w.dtype());
        assertArrayEquals(new long[] {big, -2}, w.toLongArray());
        assertEquals("tensor(1152921504606846977)", Tensor.ofLongs(3, big).max().toString());
        Tensor rows = Tensor.ofLongs(new long[] {big, big + 1, 7, big + 1, 2, 2}, 2, 3);
        assertArrayEquals(new long[] {big + 1, big + 1}, rows.max(1, false).toLongArray());
        assertArrayEquals(new long[] {1, 0}, rows.argmax(1, false).toLongArray());
        assertArrayEquals(new long[] {2, 1}, rows.argmin(1, false).toLongArray()); // the first of the tied 2s
        assertArrayEquals(new long[] {7, 2}, rows.min(1, true).reshape(-1).toLongArray());
        assertEquals(DType.INT64, rows.max(0, false).dtype());
        assertArrayEquals(new long[] {big, 0}, Tensor.ofLongs(big, 5).maskedFill(Tensor.ofBools(false, true), 0f).toLongArray());
    }

    @Test
    void onlyFloatTensorsRequireGrad() {
        var e = assertThrows(IllegalStateException.class, () -> Tensor.ofLongs(1, 2).requiresGrad(true));
        assertEquals("only Tensors of floating point dtype can require gradients", e.getMessage());
        Tensor w = Tensor.of(1f, 2f).requiresGrad(true);
        assertFalse(w.gt(0f).requiresGrad());
        assertFalse(w.argmax().requiresGrad());
    }

    @Test
    void badBoolArithmeticGivesPyTorchsMessages() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.ofBools(true).neg());
        assertEquals("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, "
                + "use the `~` or `logical_not()` operator instead.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.ofBools(true).sub(Tensor.ofBools(false)));
        assertEquals("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                + "`logical_xor()` operator instead.", e.getMessage());
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("tensor([3, 1])", Tensor.ofLongs(3, 1).toString());
        assertEquals("tensor([], dtype=torch.int64)", Tensor.ofLongs().toString());
        assertEquals("tensor([], dtype=torch.bool)", Tensor.ofBools().toString());
        assertEquals("tensor([], size=(2, 0), dtype=torch.int64)", Tensor.zeros(new int[] {2, 0}, DType.INT64).toString());
        assertEquals("tensor(5)", Tensor.ofLongs(new long[] {5}).reshape().toString());
        assertEquals("tensor(True)", Tensor.ofBools(true).reshape().toString());
        assertEquals("tensor([[  1, -20],\n        [300,   4]])", Tensor.ofLongs(new long[] {1, -20, 300, 4}, 2, 2).toString());
        assertEquals("tensor([[ True, False],\n        [False,  True]])",
                Tensor.ofBools(true, false, false, true).reshape(2, 2).toString());
        assertEquals("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])", Tensor.arange(2000).toString());
        assertEquals("torch.int64", DType.INT64.toString());
    }

    @Test
    void inPlaceWritesKeepTheDtype() {
        Tensor t = Tensor.zeros(new int[] {3}, DType.INT64);
        t.slice(0, 1, 3).copy_(Tensor.ofLongs((1L << 50) + 1, 7));
        assertArrayEquals(new long[] {0, (1L << 50) + 1, 7}, t.toLongArray());
        t.fill_(2f);
        assertEquals("tensor([2, 2, 2])", t.toString());
        Tensor b = Tensor.zeros(new int[] {2}, DType.BOOL);
        b.copy_(Tensor.of(0.5f, 0f));
        assertEquals("tensor([ True, False])", b.toString());
        assertEquals("tensor([0, 1, 2, 5])", Tensor.cat(java.util.List.of(Tensor.arange(3), Tensor.ofLongs(5)), 0).toString());
    }
}
