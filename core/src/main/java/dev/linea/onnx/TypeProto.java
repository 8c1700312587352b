package dev.linea.onnx;

import java.util.List;

/**
 * The type of a graph input, output or intermediate value ({@code TypeProto}). Linea reads tensor types in
 * full; for the other kinds (sequence, map, optional, sparse tensor) it keeps only the kind, so that the
 * importer can refuse them by name.
 *
 * @param kind which member of TypeProto's {@code oneof} is set
 * @param elemType for a tensor: its {@link DataType} code ({@code 0} when unset)
 * @param shape for a tensor: one entry per dimension, or {@code null} when the shape (even the rank) is unknown
 * @param denotation {@code denotation}, or {@code ""}
 */
public record TypeProto(Kind kind, int elemType, List<Dimension> shape, String denotation) {
    /** Which kind of type; {@code NONE} when the message sets none. */
    public enum Kind { NONE, TENSOR, SEQUENCE, MAP, OPTIONAL, SPARSE_TENSOR }

    /**
     * One dimension of a tensor shape: a size, a symbolic name such as {@code "N"}, or neither (unknown).
     *
     * @param value the size, or {@code -1} when not given
     * @param param the symbolic size, or {@code null} when not given
     */
    public record Dimension(long value, String param) {
        /** A fixed size. */
        public static Dimension of(long value) {
            return new Dimension(value, null);
        }

        /** A symbolic size (a dynamic axis). */
        public static Dimension symbolic(String param) {
            return new Dimension(-1, param);
        }

        @Override
        public String toString() {
            return param != null ? param : value >= 0 ? Long.toString(value) : "?";
        }
    }

    public TypeProto {
        shape = shape == null ? null : List.copyOf(shape);
        denotation = denotation == null ? "" : denotation;
    }

    /** A tensor type with the given element type and dimensions. */
    public static TypeProto tensor(DataType elemType, List<Dimension> shape) {
        return new TypeProto(Kind.TENSOR, elemType.code, shape, "");
    }
}
