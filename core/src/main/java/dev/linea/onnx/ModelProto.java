package dev.linea.onnx;

import java.util.List;
import java.util.Objects;

/**
 * An ONNX model file ({@code ModelProto}): the graph, the operator sets its nodes follow, and metadata.
 * Model-local functions and training information are not kept; {@code functions} counts the former, so that
 * the importer can refuse a model that calls them.
 *
 * @param irVersion the IR version ({@code 8} for opsets 15-18)
 * @param opsetImport the operator set of each domain the graph uses
 * @param metadataProps the model's {@code metadata_props} (Linea's export puts its version and preprocessing here)
 */
public record ModelProto(long irVersion, String producerName, String producerVersion, String domain, long modelVersion,
                         String docString, GraphProto graph, List<OperatorSetIdProto> opsetImport,
                         List<StringStringEntryProto> metadataProps, int functions) {
    public ModelProto {
        producerName = producerName == null ? "" : producerName;
        producerVersion = producerVersion == null ? "" : producerVersion;
        domain = domain == null ? "" : domain;
        docString = docString == null ? "" : docString;
        opsetImport = List.copyOf(opsetImport);
        metadataProps = metadataProps == null ? List.of() : List.copyOf(metadataProps);
    }

    /** A model of {@code graph} at {@code opset} of the default domain, with no metadata. */
    public static ModelProto of(long irVersion, String producerName, String producerVersion, GraphProto graph,
                                long opset, List<StringStringEntryProto> metadata) {
        return new ModelProto(irVersion, producerName, producerVersion, "", 0, "", Objects.requireNonNull(graph),
                List.of(new OperatorSetIdProto("", opset)), metadata, 0);
    }

    /** The version of ONNX's default operator set the model imports, or 0 if it imports none. */
    public long defaultOpset() {
        for (OperatorSetIdProto o : opsetImport) {
            if (o.isDefaultDomain()) {
                return o.version();
            }
        }
        return 0;
    }
}
