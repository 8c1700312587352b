package dev.linea.onnx;

import java.util.Objects;

/**
 * A key-value pair ({@code StringStringEntryProto}): {@code metadata_props} of models and graphs, and the
 * {@code location}/{@code offset}/{@code length} entries of a tensor kept in an external file.
 */
public record StringStringEntryProto(String key, String value) {
    public StringStringEntryProto {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
