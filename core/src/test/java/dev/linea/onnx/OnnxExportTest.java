package dev.linea.onnx;

import dev.linea.Tensor;
import dev.linea.models.FCNN;
import dev.linea.nn.BatchNorm2d;
import dev.linea.nn.Conv2d;
import dev.linea.nn.Dropout;
import dev.linea.nn.Flatten;
import dev.linea.nn.Linear;
import dev.linea.nn.Module;
import dev.linea.nn.ReLU;
import dev.linea.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The graph {@link Onnx#export} writes: its nodes, names, dynamic batch, metadata, and what it refuses. */
class OnnxExportTest {
    /** The graph's op types, its Constant nodes (shapes, axes, scalars) left out. */
    private static List<String> opTypes(ModelProto m) {
        return m.graph().nodes().stream().map(NodeProto::opType).filter(t -> !t.equals("Constant")).toList();
    }

    private static List<String> dims(ValueInfoProto v) {
        return v.type().shape().stream().map(TypeProto.Dimension::toString).toList();
    }

    @Test
    void fcnnBecomesFlattenAndGemmsWithStateDictNamesAndABatchDimension() {
        ModelProto m = Onnx.exportModel(new FCNN(0.5f), Tensor.randn(2, 1, 28, 28), Map.of());
        assertEquals(List.of("Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm"), opTypes(m));   // no Dropout
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"),
                m.graph().initializers().stream().map(TensorProto::name).toList());
        NodeProto gemm = m.graph().nodes().get(1);
        assertEquals("/fc1/Gemm", gemm.name());
        assertEquals(List.of("/Flatten_output_0", "fc1.weight", "fc1.bias"), gemm.inputs());
        assertEquals(1, gemm.attribute("transB").orElseThrow().i());
        assertEquals(List.of("batch", "1", "28", "28"), dims(m.graph().inputs().getFirst()));
        assertEquals(List.of("batch", "10"), dims(m.graph().outputs().getFirst()));
        assertEquals("output", m.graph().nodes().getLast().outputs().getFirst());
        assertEquals(17, m.defaultOpset());
        assertEquals(8, m.irVersion());
    }

    @Test
    void metadataHoldsTheVersionAndThePreprocessing() {
        Map<String, String> meta = Onnx.preprocessing(new float[] {0.1307f}, new float[] {0.3081f}, List.of("zero", "one"));
        ModelProto m = Onnx.exportModel(new Linear(4, 2), Tensor.randn(3, 4), meta);
        Map<String, String> props = new java.util.LinkedHashMap<>();
        m.metadataProps().forEach(e -> props.put(e.key(), e.value()));
        assertEquals(dev.linea.Linea.version(), props.get(Onnx.META_LINEA_VERSION));
        assertTrue(!props.get(Onnx.META_LINEA_VERSION).isEmpty());
        assertEquals("0.1307", props.get(Onnx.META_MEAN));
        assertEquals("0.3081", props.get(Onnx.META_STD));
        assertEquals("[\"zero\",\"one\"]", props.get(Onnx.META_CLASS_NAMES));
    }

    @Test
    void batchNormExportsItsRunningStatisticsAndTheModuleKeepsItsMode() {
        Module net = new Sequential(new Conv2d(1, 4, 3), new BatchNorm2d(4), new ReLU(), new Dropout(0.5f), new Flatten(),
                new Linear(4 * 4 * 4, 3));
        net.train();
        net.children().get(1).eval();   // a frozen BatchNorm stays frozen, the rest keeps training
        ModelProto m = Onnx.exportModel(net, Tensor.randn(2, 1, 6, 6), Map.of());
        assertTrue(net.isTraining() && net.children().get(0).isTraining());
        assertTrue(!net.children().get(1).isTraining());
        assertEquals(List.of("Conv", "BatchNormalization", "Relu", "Flatten", "Gemm"), opTypes(m));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "5.weight", "5.bias"),
                m.graph().initializers().stream().map(TensorProto::name).toList());   // PyTorch's state-dict order (module by module); num_batches_tracked is not read
    }

    @Test
    void aReshapeKeepsTheBatchDynamic() {
        Module m = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x.reshape(-1, 2, 6).transpose(1, 2).reshape(-1);
            }
        };
        ModelProto model = Onnx.exportModel(m, Tensor.randn(3, 12), Map.of());
        assertEquals(List.of("Reshape", "Transpose", "Reshape"), opTypes(model));
        NodeProto shape = model.graph().nodes().getFirst();
        assertEquals("Constant", shape.opType());
        assertEquals(List.of(-1L, 2L, 6L), java.util.Arrays.stream(shape.attribute("value").orElseThrow().t().toLongs())
                .boxed().toList());
        assertEquals(List.of(), model.graph().initializers());   // constants are nodes, not weights
        assertEquals(List.of("?"), dims(model.graph().outputs().getFirst()));   // 12·batch: no name
    }

    @Test
    void writtenFilesReadBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fcnn.onnx");
        Onnx.export(new FCNN(), Tensor.randn(2, 784), file);
        ModelProto m = OnnxCodec.readModel(file);
        assertEquals(List.of("Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm"), opTypes(m));
        assertEquals(784 * 128, m.graph().initializers().getFirst().numel());
    }

    @Test
    void anOpWithoutMappingIsRefusedByName() {
        Module m = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x.maximum(x.neg());
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Onnx.exportModel(m, Tensor.randn(2, 3), Map.of()));
        assertTrue(e.getMessage().contains("MaximumBackward0"), e.getMessage());
        assertTrue(e.getMessage().contains("maximum"), e.getMessage());
    }

    @Test
    void aTensorMadeInsideForwardIsRefused() {
        Module m = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x.add(Tensor.ones(3));
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Onnx.exportModel(m, Tensor.randn(2, 3), Map.of()));
        assertTrue(e.getMessage().contains("AddBackward0 uses a tensor of shape [3]"), e.getMessage());
    }

    @Test
    void batchStatisticsAndBatchSlicesAreRefused() {
        Module bn = new BatchNorm2d(2, 1e-5, 0.1, true, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Onnx.exportModel(bn, Tensor.randn(2, 2, 3, 3), Map.of()));
        assertTrue(e.getMessage().contains("track_running_stats=false"), e.getMessage());
        Module first = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x.slice(0, 0, 1);
            }
        };
        e = assertThrows(IllegalArgumentException.class, () -> Onnx.exportModel(first, Tensor.randn(4, 3), Map.of()));
        assertTrue(e.getMessage().contains("slices the batch dimension"), e.getMessage());
    }
}
