package dev.linea.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.AllocationTesting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protobuf codec: ONNX's own files, hand-made wire bytes, and every kind of bad input. */
class OnnxCodecTest {
    @TempDir
    Path tmp;

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void everyBackendModelReEncodesToItsOwnBytes() throws Exception {
        List<String> differ = new ArrayList<>();
        int models = 0, tensors = 0;
        for (Path dir : BackendCases.cases()) {
            byte[] original = Files.readAllBytes(dir.resolve("model.onnx"));
            ModelProto m = OnnxCodec.readModel(dir.resolve("model.onnx"));
            byte[] again = OnnxCodec.encode(m);
            if (!java.util.Arrays.equals(original, again)) {
                differ.add(dir.getFileName().toString());
            }
            // whatever the bytes, re-encoding what was read must be a fixpoint
            assertArrayEquals(again, OnnxCodec.encode(OnnxCodec.decodeModel(again, "re-encoded")), dir.toString());
            models++;
            for (Path set : BackendCases.dataSets(dir)) {
                for (Path pb : BackendCases.files(set, "")) {
                    byte[] b = Files.readAllBytes(pb);
                    TensorProto t = OnnxCodec.readTensor(pb);
                    assertArrayEquals(b, OnnxCodec.encode(t), pb.toString());
                    if (t.type() == DataType.FLOAT) {
                        assertEquals(t.numel(), t.toFloats().length);
                    }
                    tensors++;
                }
            }
        }
        assertEquals(243, models);
        assertTrue(tensors > 500, "only " + tensors + " test tensors");
        // These four set optional strings to "" explicitly (node domain, tensor name); the records do not keep
        // "set but empty" apart from "unset", so the writer leaves them out. Everything else is byte for byte.
        assertEquals(List.of("test_gelu_default_1_expanded", "test_gelu_default_2_expanded",
                "test_gelu_tanh_1_expanded", "test_gelu_tanh_2_expanded"), differ, "models whose bytes changed");
    }

    @Test
    void readsAModelWithItsGraphNodesAttributesAndTypes() throws Exception {
        ModelProto m = OnnxCodec.readModel(BackendCases.ROOT.resolve("test_flatten_negative_axis1/model.onnx"));
        assertEquals(25, m.defaultOpset());
        NodeProto n = m.graph().nodes().get(0);
        assertEquals("Flatten", n.opType());
        assertEquals(-1, n.attribute("axis").orElseThrow().i()); // a negative varint, 10 bytes on the wire
        TypeProto in = m.graph().inputs().get(0).type();
        assertEquals(TypeProto.Kind.TENSOR, in.kind());
        assertEquals(DataType.FLOAT.code, in.elemType());
        assertEquals(List.of(2L, 3L, 4L, 5L), in.shape().stream().map(TypeProto.Dimension::value).toList());
    }

    @Test
    void repeatedIntsAreReadPackedAndUnpacked() throws Exception {
        // TensorProto{dims=[2,3], data_type=INT64, int64_data=[-1, 5]}: dims unpacked, then packed
        String data = "10 07 3a 0b ffffffffffffffffff01 05";
        TensorProto unpacked = OnnxCodec.decodeTensor(hex("08 02 08 01 " + data), "unpacked");
        TensorProto packed = OnnxCodec.decodeTensor(hex("0a 02 02 01 " + data), "packed");
        assertArrayEquals(new long[] {2, 1}, unpacked.dims());
        assertArrayEquals(new long[] {2, 1}, packed.dims());
        assertArrayEquals(new long[] {-1, 5}, packed.toLongs());
        // int64_data unpacked too (one key per element)
        TensorProto loose = OnnxCodec.decodeTensor(hex("08 02 10 07 38 ffffffffffffffffff01 38 05"), "loose");
        assertArrayEquals(new long[] {-1, 5}, loose.toLongs());
        // and the writer writes dims unpacked, *_data packed, as protobuf does for onnx.proto
        assertArrayEquals(hex("08 02 08 01 " + data), OnnxCodec.encode(packed));
    }

    @Test
    void unknownFieldsOfEveryWireTypeAreSkipped() throws Exception {
        // field 99 as varint, fixed64, length-delimited and fixed32 around a FLOAT scalar with float_data [1.5]
        byte[] b = hex("98 06 96 01  99 06 0102030405060708  9a 06 03 aabbcc  9d 06 01020304  10 01 22 04 0000c03f");
        TensorProto t = OnnxCodec.decodeTensor(b, "unknown");
        assertArrayEquals(new float[] {1.5f}, t.toFloats());
    }

    @Test
    void rawDataIsLittleEndian() throws Exception {
        TensorProto t = TensorProto.ofFloats("w", new long[] {2}, new float[] {1f, -2f});
        assertArrayEquals(hex("0000803f 000000c0"), t.rawData());
        TensorProto back = OnnxCodec.decodeTensor(OnnxCodec.encode(t), "w");
        assertEquals("w", back.name());
        assertArrayEquals(new float[] {1f, -2f}, back.toFloats());
        assertArrayEquals(new long[] {7, -8}, TensorProto.ofLongs("i", new long[] {2}, new long[] {7, -8}).toLongs());
    }

    @Test
    void aModelRoundTripsThroughAFile() throws Exception {
        TensorProto w = TensorProto.ofFloats("fc.weight", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        NodeProto gemm = new NodeProto("gemm", "Gemm", List.of("x", "fc.weight", ""), List.of("y"),
                List.of(AttributeProto.ofInt("transB", 1), AttributeProto.ofFloat("alpha", 0.5f),
                        AttributeProto.ofInts("pads", -1, 0, 3), AttributeProto.ofFloats("scales", 1f, 2f),
                        AttributeProto.ofString("mode", "nearest"), AttributeProto.ofStrings("names", List.of("a", "b")),
                        AttributeProto.ofTensor("value", TensorProto.ofLongs("", new long[] {}, new long[] {4}))));
        TypeProto type = TypeProto.tensor(DataType.FLOAT, List.of(TypeProto.Dimension.symbolic("N"),
                TypeProto.Dimension.of(3)));
        GraphProto g = new GraphProto("g", List.of(gemm), List.of(w), List.of(new ValueInfoProto("x", type)),
                List.of(new ValueInfoProto("y", type)));
        ModelProto m = ModelProto.of(8, "linea", "0.1", g, 17,
                List.of(new StringStringEntryProto("classes", "a,b")));
        Path file = tmp.resolve("m.onnx");
        OnnxCodec.write(m, file);
        ModelProto back = OnnxCodec.readModel(file);
        assertArrayEquals(Files.readAllBytes(file), OnnxCodec.encode(back));
        assertEquals(17, back.defaultOpset());
        assertEquals(8, back.irVersion());
        assertEquals("a,b", back.metadataProps().get(0).value());
        NodeProto n = back.graph().nodes().get(0);
        assertEquals(List.of("x", "fc.weight", ""), n.inputs());
        assertEquals(1, n.attribute("transB").orElseThrow().i());
        assertEquals(0.5f, n.attribute("alpha").orElseThrow().f());
        assertArrayEquals(new long[] {-1, 0, 3}, n.attribute("pads").orElseThrow().ints());
        assertArrayEquals(new float[] {1, 2}, n.attribute("scales").orElseThrow().floats());
        assertEquals("nearest", n.attribute("mode").orElseThrow().string());
        assertEquals(2, n.attribute("names").orElseThrow().strings().size());
        assertArrayEquals(new long[] {4}, n.attribute("value").orElseThrow().t().toLongs());
        assertEquals("N", back.graph().inputs().get(0).type().shape().get(0).param());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, back.graph().initializers().get(0).toFloats());
    }

    @Test
    void externalDataIsReadRelativeToTheModelsFolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        Files.write(dir.resolve("weights.bin"), hex("ffffffff 0000803f 00000040"));
        TensorProto ext = external("w", "weights.bin", 4, 8);
        Path file = dir.resolve("m.onnx");
        Files.write(file, OnnxCodec.encode(ext));
        TensorProto t = OnnxCodec.readTensor(file);
        assertArrayEquals(new float[] {1f, 2f}, t.toFloats());
        assertEquals(0, t.dataLocation());

        Files.write(file, OnnxCodec.encode(external("w", "../outside.bin", 0, 8)));
        assertProblem(file, "outside the model's folder");
        Files.write(file, OnnxCodec.encode(external("w", "weights.bin", 8, 8)));
        assertProblem(file, "has 12 bytes, needs 8 from offset 8");
        Files.write(file, OnnxCodec.encode(external("w", "missing.bin", 0, 8)));
        assertProblem(file, "not found");
        Files.write(file, OnnxCodec.encode(external("w", "weights.bin", 0, 4)));
        assertProblem(file, "external length 4");
    }

    @Test
    void largeInitializersAreWrittenToAnExternalDataFileAndReadBack() throws Exception {
        ModelProto m = OnnxCodec.readModel(Path.of("src/test/resources/onnx/torch/fcnn.onnx"));
        Path file = tmp.resolve("fcnn.onnx");
        OnnxCodec.write(m, file, "fcnn.onnx.data", 1024);
        assertTrue(Files.size(file) < 10_000, Files.size(file) + " bytes: the weights should be outside");
        assertTrue(Files.size(tmp.resolve("fcnn.onnx.data")) > 400_000);
        ModelProto back = OnnxCodec.readModel(file);
        for (int i = 0; i < m.graph().initializers().size(); i++) {
            TensorProto a = m.graph().initializers().get(i), b = back.graph().initializers().get(i);
            assertEquals(a.name(), b.name());
            assertArrayEquals(a.toFloats(), b.toFloats(), a.name());
        }
        // and the model runs the same from there
        dev.linea.Tensor x = dev.linea.Tensor.ones(2, 784);
        assertArrayEquals(Onnx.load(m, "inline").forward(x).toFloatArray(), Onnx.load(file).forward(x).toFloatArray());
    }

    private static TensorProto external(String name, String location, long offset, long length) {
        return new TensorProto(name, DataType.FLOAT.code, new long[] {2}, null, null, null, null, null, null, null,
                List.of(new StringStringEntryProto("location", location),
                        new StringStringEntryProto("offset", Long.toString(offset)),
                        new StringStringEntryProto("length", Long.toString(length))), 1, "");
    }

    private void assertProblem(Path file, String problem) {
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxCodec.readTensor(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    private static void assertProblem(byte[] b, String text) {
        String m = problem(b);
        assertTrue(m.contains(text), m);
    }

    private static String problem(byte[] b) {
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxCodec.decodeModel(b, "bad.onnx"));
        assertTrue(e.getMessage().startsWith("bad.onnx: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void badBytesGetOneClearErrorNamingTheFile() throws Exception {
        byte[] good = Files.readAllBytes(BackendCases.ROOT.resolve("test_relu/model.onnx"));
        String cut = problem(java.util.Arrays.copyOf(good, good.length - 3));
        assertTrue(cut.contains("bytes left") || cut.contains("truncated"), cut);
        // a lying length: graph (field 7) claims 2^31 bytes
        assertProblem(hex("08 08 3a 80808080 08"), "length 2147483648 exceeds the 0 bytes left");
        assertProblem(hex("08 ffffffffffffffffffff01"), "varint longer than 10 bytes");
        assertProblem(hex("08 08"), "no graph");
        assertProblem(hex("0b"), "wire type 3");
        assertProblem(hex("38 01"), "graph (field 7) has wire type 0");
    }

    @Test
    void deepNestingIsRefusedWithoutAStackOverflow() {
        // graph { node { attribute { g { node { attribute { g ... } } } } } }, 10,000 levels, built inside out
        byte[] inner = new byte[0];
        for (int i = 0; i < 10_000; i++) {
            int k = (9_999 - i) % 3; // from the outside in: node=1, attribute=5, g=6
            inner = wrap(k == 0 ? 0x0a : k == 1 ? 0x2a : 0x32, inner);
        }
        byte[] model = wrap(0x3a, inner);
        assertTrue(problem(model).contains("nested deeper than 64"));
    }

    private static byte[] wrap(int key, byte[] body) {
        ProtoWriter w = new ProtoWriter();
        w.rawByte(key);
        w.varint(body.length);
        w.bytes(body, 0, body.length);
        return w.toByteArray();
    }

    @Test
    void hugeDimsWithoutDataAreRefusedInBoundedMemory() {
        // TensorProto{dims=[2^47, 2^47], data_type=FLOAT}: no data for 2^80 elements
        byte[] overflow = hex("08 80808080808020 08 80808080808020 10 01");
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxCodec.decodeTensor(overflow, "t.pb"));
        assertTrue(e.getMessage().contains("more elements than a long holds"), e.getMessage());
        byte[] huge = hex("08 80808080808020 10 01"); // 2^47 floats, no data
        long bytes = AllocationTesting.allocatedBy(() -> OnnxCodec.decodeTensor(huge, "t.pb"));
        e = assertThrows(OnnxFormatException.class, () -> OnnxCodec.decodeTensor(huge, "t.pb"));
        assertTrue(e.getMessage().contains("needs 140737488355328 elements, its data holds 0"), e.getMessage());
        assertTrue(bytes < 1 << 20, bytes + " bytes allocated");
        assertTrue(assertThrows(OnnxFormatException.class, () -> OnnxCodec.decodeTensor(hex("08 02 10 01 4a 04 00000000"),
                "t.pb")).getMessage().contains("needs 8 bytes of raw_data, has 4"));
        assertTrue(assertThrows(OnnxFormatException.class, () -> OnnxCodec.decodeTensor(hex("08 ffffffffffffffffff01 10 01"), "t.pb"))
                .getMessage().contains("negative dimension"));
    }

    @Test
    void theFileIsNamedEvenWhenItIsMissing() {
        Path missing = tmp.resolve("nope.onnx");
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxCodec.readModel(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }
}
