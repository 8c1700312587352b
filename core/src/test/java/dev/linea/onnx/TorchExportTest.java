package dev.linea.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linea.Tensor;
import dev.linea.io.SafeTensors;
import dev.linea.models.CNN;
import dev.linea.models.FCNN;
import dev.linea.nn.CrossEntropyLoss;
import dev.linea.nn.Module;
import dev.linea.optim.SGD;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Models exported by PyTorch 1.13 ({@code torch.onnx.export}, opset 17, dynamic batch; made by
 * {@code scripts/onnx/export_torch.py}) import and match PyTorch's outputs within 1e-5 + 1e-4·|expected|, at
 * the exported batch of 3 and at batch 1, and PyTorch's weights load into Linea's own models.
 */
class TorchExportTest {
    static final Path DIR = Path.of("src/test/resources/onnx/torch");

    static Map<String, Tensor> io(String name) throws Exception {
        return SafeTensors.load(DIR.resolve(name + "-io.safetensors")).tensors();
    }

    static void assertClose(Tensor expected, Tensor actual, String what) {
        assertEquals(List.of(boxed(expected.shape())), List.of(boxed(actual.shape())), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(a[i] - e[i]) <= 1e-5 + 1e-4 * Math.abs(e[i]),
                    what + ": element " + i + " is " + a[i] + ", PyTorch gives " + e[i]);
        }
    }

    private static Integer[] boxed(int[] s) {
        return java.util.Arrays.stream(s).boxed().toArray(Integer[]::new);
    }

    /** Imports NAME.onnx and checks it against PyTorch at batch 3 and 1. */
    static OnnxModule imported(String name) throws Exception {
        OnnxModule m = Onnx.load(DIR.resolve(name + ".onnx"));
        Map<String, Tensor> io = io(name);
        assertEquals(List.of("input"), m.inputNames());
        assertEquals(List.of("output"), m.outputNames());
        assertClose(io.get("output"), m.forward(io.get("input")), name);
        assertClose(io.get("output").narrow(0, 1, 1), m.forward(io.get("input").narrow(0, 1, 1)), name + " at batch 1");
        return m;
    }

    @Test
    void theFcnnImportsWithPyTorchsNamesAndItsWeightsLoadIntoLineasFcnn() throws Exception {
        OnnxModule m = imported("fcnn");
        Map<String, Tensor> weights = SafeTensors.load(DIR.resolve("fcnn.safetensors")).tensors();
        assertEquals(new TreeSet<>(weights.keySet()), new TreeSet<>(m.stateDict().keySet()));
        assertEquals("fc1.weight", m.stateDictKey("fc1.weight"));
        FCNN linea = new FCNN();
        linea.loadStateDict(weights);
        linea.eval();
        Map<String, Tensor> io = io("fcnn");
        assertClose(io.get("output"), linea.forward(io.get("input")), "Linea's FCNN with PyTorch's weights");
        assertEquals(109_386, m.parameterCount());
    }

    @Test
    void theFcnnEndingInSoftmaxImportsAndItsStateDictLoadsIntoLineasFcnn() throws Exception {
        OnnxModule m = imported("fcnn-softmax");
        assertTrue(m.opCounts().containsKey("Softmax"), m.opCounts().toString());
        FCNN linea = new FCNN();
        linea.loadStateDict(m.stateDict());
        Map<String, Tensor> io = io("fcnn-softmax");
        assertClose(io.get("output"), linea.predict(io.get("input")), "FCNN.predict with the imported weights");
    }

    @Test
    void theCnnImportsAndItsWeightsLoadIntoLineasCnn() throws Exception {
        OnnxModule m = imported("cnn");
        Map<String, Tensor> weights = SafeTensors.load(DIR.resolve("cnn.safetensors")).tensors();
        assertEquals(new TreeSet<>(weights.keySet()), new TreeSet<>(m.stateDict().keySet()));
        CNN linea = new CNN();
        linea.loadStateDict(weights);
        linea.eval();
        Map<String, Tensor> io = io("cnn");
        assertClose(io.get("output"), linea.forward(io.get("input")), "Linea's CNN with PyTorch's weights");
    }

    @Test
    void batchNormFoldedIntoConvImportsWithItsRenamedWeights() throws Exception {
        OnnxModule m = imported("cnn-bn-folded");
        assertTrue(!m.opCounts().containsKey("BatchNormalization"), m.opCounts().toString());
        // PyTorch's exporter names the folded Conv weights onnx::Conv_NN: kept as the state-dict keys
        List<String> renamed = m.stateDictKeys().keySet().stream().filter(k -> k.startsWith("onnx::Conv_")).toList();
        assertEquals(4, renamed.size(), m.stateDictKeys().toString());
        for (String k : renamed) {
            assertEquals(k, m.stateDictKey(k));
            assertTrue(m.stateDict().containsKey(k));
        }
    }

    @Test
    void batchNormKeptAsNodesImportsWithItsStatisticsAsBuffers() throws Exception {
        OnnxModule m = imported("cnn-bn");
        assertEquals(2, m.opCounts().get("BatchNormalization"), m.opCounts().toString());
        assertTrue(m.namedBuffers().containsKey("bn1.running_mean"), m.namedBuffers().keySet().toString());
        assertTrue(m.namedParameters().containsKey("bn1.weight"));
        assertTrue(!m.namedParameters().containsKey("bn1.running_var"), "running statistics are not trained");
    }

    @Test
    void anImportedModelFineTunes() throws Exception {
        OnnxModule m = Onnx.load(DIR.resolve("cnn.onnx"));
        Tensor x = io("cnn").get("input");
        Tensor target = Tensor.ofLongs(3, 1, 4);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        SGD opt = new SGD(m.parameters(), 0.05);
        float first = 0, last = 0;
        for (int step = 0; step < 5; step++) {
            opt.zeroGrad();
            Tensor l = loss.forward(m.forward(x), target);
            l.backward();
            opt.step();
            if (step == 0) {
                first = l.item();
                for (var e : m.namedParameters().entrySet()) {
                    assertTrue(e.getValue().grad() != null, e.getKey() + " got no gradient");
                }
            }
            last = l.item();
        }
        assertTrue(last < first, "loss went from " + first + " to " + last);
    }

    @Test
    void printsAsAModuleTree() throws Exception {
        Module m = Onnx.load(DIR.resolve("fcnn.onnx"));
        String s = m.toString();
        assertTrue(s.startsWith("OnnxModule(\n  opset=17, nodes="), s);
        assertTrue(s.contains("(fc1): Holder()"), s);
    }
}
