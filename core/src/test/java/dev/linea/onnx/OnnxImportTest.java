package dev.linea.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Onnx.load on hand-built graphs: version resolution, names, and every refusal naming node, op and version. */
class OnnxImportTest {
    private static final TypeProto FLOAT_N4 = TypeProto.tensor(DataType.FLOAT,
            List.of(TypeProto.Dimension.symbolic("N"), TypeProto.Dimension.of(4)));

    private static ModelProto model(long opset, List<NodeProto> nodes, List<TensorProto> inits, String output) {
        GraphProto g = new GraphProto("g", nodes, inits, List.of(new ValueInfoProto("x", FLOAT_N4)),
                List.of(new ValueInfoProto(output, FLOAT_N4)));
        return ModelProto.of(8, "test", "", g, opset, List.of());
    }

    private static String refusal(ModelProto m) {
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> Onnx.load(m, "m.onnx"));
        assertTrue(e.getMessage().startsWith("m.onnx: "), e.getMessage());
        return e.getMessage();
    }

    private static NodeProto node(String name, String op, List<String> in, List<String> out, AttributeProto... attrs) {
        return new NodeProto(name, op, in, out, List.of(attrs));
    }

    @Test
    void anUnknownOpIsRefusedNamingTheNodeAndTheOpset() {
        String m = refusal(model(17, List.of(node("lstm0", "LSTM", List.of("x"), List.of("y"))), List.of(), "y"));
        assertTrue(m.contains("node 0 'lstm0' (LSTM, opset 17): op LSTM is not supported"), m);
    }

    @Test
    void anOpsetOlderThanTheImplementedVersionsIsRefused() {
        String m = refusal(model(6, List.of(node("add", "Add", List.of("x", "x"), List.of("y"))), List.of(), "y"));
        assertTrue(m.contains("'add' (Add, opset 6): Add at opset 6 is older than the versions Linea implements [7, 13, 14]"), m);
        m = refusal(model(26, List.of(node("r", "Relu", List.of("x"), List.of("y"))), List.of(), "y"));
        assertTrue(m.contains("opset 26 is newer than the newest Linea knows (25)"), m);
    }

    @Test
    void anUnknownAttributeIsRefusedNamingTheResolvedVersion() {
        // Squeeze's axes moved from an attribute to an input at version 13
        String m = refusal(model(13, List.of(node("sq", "Squeeze", List.of("x"), List.of("y"),
                AttributeProto.ofInts("axes", 0))), List.of(), "y"));
        assertTrue(m.contains("node 0 'sq' (Squeeze v13): attribute 'axes' is not supported"), m);
        m = refusal(model(17, List.of(node("c", "Conv", List.of("x", "w"), List.of("y"),
                AttributeProto.ofInt("groups", 2))), List.of(), "y"));
        assertTrue(m.contains("(Conv v11): attribute 'groups' is not supported (supported: auto_pad, dilations, group,"), m);
    }

    @Test
    void versionsResolveToTheNewestSinceVersionAtOrBelowTheOpset() {
        assertEquals(13, OpVersions.resolve("Squeeze", 17));
        assertEquals(11, OpVersions.resolve("Squeeze", 12));
        assertEquals(5, OpVersions.resolve("Reshape", 12));
        assertEquals(11, OpVersions.resolve("Clip", 12 - 1));
        assertEquals(13, OpVersions.resolve("ReduceSum", 17));
        assertEquals(18, OpVersions.resolve("ReduceMean", 18));
        // Squeeze at opset 11 takes axes as an attribute, at 13 as an input
        Tensor x = Tensor.ones(1, 4);
        OnnxModule v11 = load(model(11, List.of(node("sq", "Squeeze", List.of("x"), List.of("y"),
                AttributeProto.ofInts("axes", 0))), List.of(), "y"));
        assertArrayEquals(new int[] {4}, v11.forward(x).shape());
        OnnxModule v13 = load(model(13, List.of(node("sq", "Squeeze", List.of("x", "axes"), List.of("y"))),
                List.of(TensorProto.ofLongs("axes", new long[] {1}, new long[] {0})), "y"));
        assertArrayEquals(new int[] {4}, v13.forward(x).shape());
        assertTrue(v13.stateDict().isEmpty(), "integer initializers are constants, not parameters");
    }

    private static OnnxModule load(ModelProto m) {
        try {
            return Onnx.load(m, "m.onnx");
        } catch (OnnxFormatException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void danglingNamesCyclesAndMissingOutputsAreRefused() {
        String m = refusal(model(17, List.of(node("r", "Relu", List.of("nowhere"), List.of("y"))), List.of(), "y"));
        assertTrue(m.contains("input 'nowhere' is not a graph input, an initializer or the output of an earlier node"), m);
        // a cycle: a uses b, b uses a
        m = refusal(model(17, List.of(node("a", "Relu", List.of("b"), List.of("a_out")),
                node("b", "Relu", List.of("a_out"), List.of("b"))), List.of(), "b"));
        assertTrue(m.contains("node 0 'a' (Relu v14): input 'b' is not"), m);
        m = refusal(model(17, List.of(node("r", "Relu", List.of("x"), List.of("y"))), List.of(), "z"));
        assertTrue(m.contains("graph output 'z' is computed by no node"), m);
        m = refusal(model(17, List.of(node("r", "Relu", List.of("x"), List.of("x"))), List.of(), "x"));
        assertTrue(m.contains("output 'x' is already defined"), m);
        m = refusal(model(17, List.of(node("mp", "MaxPool", List.of("x"), List.of("y", "indices"),
                AttributeProto.ofInts("kernel_shape", 2))), List.of(), "y"));
        assertTrue(m.contains("(MaxPool v12): output 1 ('indices') is not supported"), m);
    }

    @Test
    void dottedInitializerNamesBecomeNestedStateDictKeysAndBadOnesAreSanitised() {
        TensorProto w = TensorProto.ofFloats("fc.weight", new long[] {4, 4}, new float[16]);
        TensorProto odd = TensorProto.ofFloats("a..b", new long[] {4}, new float[4]);
        TensorProto clash = TensorProto.ofFloats("fc", new long[] {4}, new float[4]);
        OnnxModule m = load(model(17, List.of(node("mm", "MatMul", List.of("x", "fc.weight"), List.of("h")),
                node("a1", "Add", List.of("h", "a..b"), List.of("h2")),
                node("a2", "Add", List.of("h2", "fc"), List.of("y"))), List.of(w, odd, clash), "y"));
        assertEquals("fc.weight", m.stateDictKey("fc.weight"));
        assertEquals("a__b", m.stateDictKey("a..b"));
        assertEquals("fc_1", m.stateDictKey("fc"));
        assertEquals(java.util.Set.of("fc.weight", "a__b", "fc_1"), m.stateDict().keySet());
        assertEquals(3, m.parameters().size());
    }

    @Test
    void aFailingNodeNamesItselfAtRunTime() throws Exception {
        OnnxModule m = load(model(17, List.of(node("shape_me", "Reshape", List.of("x", "s"), List.of("y"))),
                List.of(TensorProto.ofLongs("s", new long[] {1}, new long[] {3})), "y"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.ones(2, 4)));
        assertTrue(e.getMessage().startsWith("m.onnx: node 'shape_me' (Reshape v14): Reshape: shape [3] does not fit"),
                e.getMessage());
    }
}
