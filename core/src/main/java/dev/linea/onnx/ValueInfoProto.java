package dev.linea.onnx;

import java.util.Objects;

/**
 * A named value of a graph with its type ({@code ValueInfoProto}): graph inputs, outputs and
 * {@code value_info} entries.
 *
 * @param type the type, or {@code null} when the file gives none
 * @param docString {@code doc_string}, or {@code ""}
 */
public record ValueInfoProto(String name, TypeProto type, String docString) {
    public ValueInfoProto {
        Objects.requireNonNull(name, "name");
        docString = docString == null ? "" : docString;
    }

    /** A value without documentation. */
    public ValueInfoProto(String name, TypeProto type) {
        this(name, type, "");
    }
}
