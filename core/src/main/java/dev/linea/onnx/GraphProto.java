package dev.linea.onnx;

import java.util.List;

/**
 * A computation graph ({@code GraphProto}): nodes in topological order, the initializers (weights, named
 * tensors), and the typed inputs and outputs. Sparse initializers are kept only as a count, for the importer
 * to refuse.
 *
 * @param valueInfo types of intermediate values, where the file gives them
 * @param metadataProps the graph's {@code metadata_props}
 */
public record GraphProto(String name, List<NodeProto> nodes, List<TensorProto> initializers,
                         List<ValueInfoProto> inputs, List<ValueInfoProto> outputs, List<ValueInfoProto> valueInfo,
                         String docString, List<StringStringEntryProto> metadataProps, int sparseInitializers) {
    public GraphProto {
        name = name == null ? "" : name;
        nodes = List.copyOf(nodes);
        initializers = List.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        valueInfo = valueInfo == null ? List.of() : List.copyOf(valueInfo);
        docString = docString == null ? "" : docString;
        metadataProps = metadataProps == null ? List.of() : List.copyOf(metadataProps);
    }

    /** A graph without value_info, documentation or metadata. */
    public GraphProto(String name, List<NodeProto> nodes, List<TensorProto> initializers, List<ValueInfoProto> inputs,
                      List<ValueInfoProto> outputs) {
        this(name, nodes, initializers, inputs, outputs, List.of(), "", List.of(), 0);
    }
}
