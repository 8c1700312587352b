package dev.linea.onnx;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A named attribute of a node ({@code AttributeProto}), of any of ONNX's attribute kinds. Only the field of
 * its {@link #type} is meaningful; the others keep their defaults. Sparse tensors are kept only as a count
 * ({@code sparseTensors}), for the importer to refuse.
 *
 * @param type the attribute's kind; for files that leave {@code type} out (IR version 1), the reader infers it
 *             from the field that is set
 * @param refAttrName {@code ref_attr_name} (inside functions), or {@code ""}
 */
public record AttributeProto(String name, Type type, float f, long i, byte[] s, TensorProto t, GraphProto g,
                             float[] floats, long[] ints, List<byte[]> strings, List<TensorProto> tensors,
                             List<GraphProto> graphs, TypeProto tp, List<TypeProto> typeProtos, String refAttrName,
                             String docString, int sparseTensors) {
    /** {@code AttributeProto.AttributeType}, with the code in the file. */
    public enum Type {
        UNDEFINED(0), FLOAT(1), INT(2), STRING(3), TENSOR(4), GRAPH(5), FLOATS(6), INTS(7), STRINGS(8), TENSORS(9),
        GRAPHS(10), SPARSE_TENSOR(11), SPARSE_TENSORS(12), TYPE_PROTO(13), TYPE_PROTOS(14);

        /** The number in the file. */
        public final int code;

        Type(int code) {
            this.code = code;
        }

        /** The kind with this code, or {@code null}. */
        public static Type of(long code) {
            return code >= 0 && code < values().length ? values()[(int) code] : null;
        }
    }

    public AttributeProto {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        s = s == null ? new byte[0] : s;
        floats = floats == null ? ProtoReader.Empty.FLOATS : floats;
        ints = ints == null ? ProtoReader.Empty.LONGS : ints;
        strings = strings == null ? List.of() : List.copyOf(strings);
        tensors = tensors == null ? List.of() : List.copyOf(tensors);
        graphs = graphs == null ? List.of() : List.copyOf(graphs);
        typeProtos = typeProtos == null ? List.of() : List.copyOf(typeProtos);
        refAttrName = refAttrName == null ? "" : refAttrName;
        docString = docString == null ? "" : docString;
    }

    private static AttributeProto of(String name, Type type, float f, long i, byte[] s, TensorProto t, GraphProto g,
                                     float[] floats, long[] ints, List<byte[]> strings) {
        return new AttributeProto(name, type, f, i, s, t, g, floats, ints, strings, null, null, null, null, "", "", 0);
    }

    /** A FLOAT attribute. */
    public static AttributeProto ofFloat(String name, float v) {
        return of(name, Type.FLOAT, v, 0, null, null, null, null, null, null);
    }

    /** An INT attribute. */
    public static AttributeProto ofInt(String name, long v) {
        return of(name, Type.INT, 0, v, null, null, null, null, null, null);
    }

    /** A STRING attribute (UTF-8). */
    public static AttributeProto ofString(String name, String v) {
        return of(name, Type.STRING, 0, 0, v.getBytes(StandardCharsets.UTF_8), null, null, null, null, null);
    }

    /** A TENSOR attribute (a Constant's value). */
    public static AttributeProto ofTensor(String name, TensorProto v) {
        return of(name, Type.TENSOR, 0, 0, null, Objects.requireNonNull(v), null, null, null, null);
    }

    /** A GRAPH attribute. */
    public static AttributeProto ofGraph(String name, GraphProto v) {
        return of(name, Type.GRAPH, 0, 0, null, null, Objects.requireNonNull(v), null, null, null);
    }

    /** A FLOATS attribute. */
    public static AttributeProto ofFloats(String name, float... v) {
        return of(name, Type.FLOATS, 0, 0, null, null, null, v.clone(), null, null);
    }

    /** An INTS attribute. */
    public static AttributeProto ofInts(String name, long... v) {
        return of(name, Type.INTS, 0, 0, null, null, null, null, v.clone(), null);
    }

    /** A STRINGS attribute (UTF-8). */
    public static AttributeProto ofStrings(String name, List<String> v) {
        return of(name, Type.STRINGS, 0, 0, null, null, null, null, null,
                v.stream().map(x -> x.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** {@link #s} as UTF-8 text. */
    public String string() {
        return new String(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        String v = switch (type) {
            case FLOAT -> Float.toString(f);
            case INT -> Long.toString(i);
            case STRING -> '"' + string() + '"';
            case FLOATS -> java.util.Arrays.toString(floats);
            case INTS -> java.util.Arrays.toString(ints);
            case TENSOR -> String.valueOf(t);
            default -> type.name();
        };
        return name + "=" + v;
    }
}
