package dev.linea.onnx;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One operator application in a graph ({@code NodeProto}). An input named {@code ""} is an optional input
 * left out.
 *
 * @param domain the operator set domain, {@code ""} for ONNX's default one
 */
public record NodeProto(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                        List<AttributeProto> attributes, String docString) {
    public NodeProto {
        name = name == null ? "" : name;
        Objects.requireNonNull(opType, "opType");
        domain = domain == null ? "" : domain;
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = List.copyOf(attributes);
        docString = docString == null ? "" : docString;
    }

    /** A node of the default domain. */
    public NodeProto(String name, String opType, List<String> inputs, List<String> outputs,
                     List<AttributeProto> attributes) {
        this(name, opType, "", inputs, outputs, attributes, "");
    }

    /** The attribute called {@code name}, if the node has it. */
    public Optional<AttributeProto> attribute(String name) {
        for (AttributeProto a : attributes) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
