package dev.linea.onnx;

import java.util.Objects;

/**
 * One entry of a model's {@code opset_import}: the operator set version the model's nodes of {@code domain}
 * follow. The default domain is {@code ""} (also spelled {@code "ai.onnx"}).
 */
public record OperatorSetIdProto(String domain, long version) {
    public OperatorSetIdProto {
        Objects.requireNonNull(domain, "domain");
    }

    /** Whether this entry is for ONNX's default operator set. */
    public boolean isDefaultDomain() {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }
}
