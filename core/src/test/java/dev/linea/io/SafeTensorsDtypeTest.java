package dev.linea.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linea.DType;
import dev.linea.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** int64 and bool tensors go to safetensors as I64 and BOOL, exactly, and come back with their dtype. */
class SafeTensorsDtypeTest {
    @Test
    void int64AndBoolRoundTripExactly() throws Exception {
        long big = (1L << 53) + 1;
        Map<String, Tensor> in = Map.of("ids", Tensor.ofLongs(new long[] {big, -7, 0, 3}, 2, 2),
                "mask", Tensor.ofBools(true, false, true), "w", Tensor.of(0.5f, -1f));
        SafeTensors.Loaded back = SafeTensors.deserialize(SafeTensors.serialize(in, Map.of()), "memory");
        Tensor ids = back.tensors().get("ids");
        assertEquals(DType.INT64, ids.dtype());
        assertArrayEquals(new int[] {2, 2}, ids.shape());
        assertArrayEquals(new long[] {big, -7, 0, 3}, ids.toLongArray());
        assertEquals(DType.BOOL, back.tensors().get("mask").dtype());
        assertEquals("tensor([ True, False,  True])", back.tensors().get("mask").toString());
        assertEquals(DType.FLOAT32, back.tensors().get("w").dtype());
    }

    @Test
    void theHeaderNamesI64AndBoolWithPyTorchsByteSizes() {
        byte[] file = SafeTensors.serialize(Map.of("a", Tensor.ofLongs(1, 2), "b", Tensor.ofBools(true, false, true)), Map.of());
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(file, 8, (int) n, StandardCharsets.UTF_8).strip();
        assertEquals("{\"a\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[16,19]}}", header);
        assertEquals(8 + n + 19, file.length);
        ByteBuffer data = ByteBuffer.wrap(file, (int) (8 + n), 19).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1L, data.getLong());
        assertEquals(2L, data.getLong());
        assertArrayEquals(new byte[] {1, 0, 1}, new byte[] {data.get(), data.get(), data.get()});
    }

    @Test
    void batchNormCountsBatchesInInt64AsPyTorchsStateDictDoes() throws Exception {
        var bn = new dev.linea.nn.BatchNorm2d(3);
        bn.forward(Tensor.randn(2, 3, 4, 4));
        Tensor n = bn.stateDict().get("num_batches_tracked");
        assertEquals(DType.INT64, n.dtype());
        assertEquals("tensor(1)", n.toString());
        byte[] file = SafeTensors.serialize(bn.stateDict(), Map.of());
        assertEquals(DType.INT64, SafeTensors.deserialize(file, "memory").tensors().get("num_batches_tracked").dtype());
    }
}
