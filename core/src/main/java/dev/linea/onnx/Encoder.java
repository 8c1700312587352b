package dev.linea.onnx;

import java.util.List;

/**
 * Encodes ONNX's messages in the wire format, fields in number order as protobuf's own serializers write
 * them: repeated numbers unpacked except TensorProto's {@code *_data} (packed, as onnx.proto declares),
 * unset optional strings left out. Data already in external files is written as its reference.
 */
final class Encoder {
    private Encoder() {}

    static ProtoWriter model(ModelProto m) {
        ProtoWriter w = new ProtoWriter();
        w.int64(1, m.irVersion());
        w.optString(2, m.producerName());
        w.optString(3, m.producerVersion());
        w.optString(4, m.domain());
        if (m.modelVersion() != 0) {
            w.int64(5, m.modelVersion());
        }
        w.optString(6, m.docString());
        w.message(7, graph(m.graph()));
        for (OperatorSetIdProto o : m.opsetImport()) {
            ProtoWriter c = new ProtoWriter();
            c.string(1, o.domain());
            c.int64(2, o.version());
            w.message(8, c);
        }
        entries(w, 14, m.metadataProps());
        return w;
    }

    private static void entries(ProtoWriter w, int field, List<StringStringEntryProto> entries) {
        for (StringStringEntryProto e : entries) {
            ProtoWriter c = new ProtoWriter();
            c.string(1, e.key());
            c.string(2, e.value());
            w.message(field, c);
        }
    }

    static ProtoWriter graph(GraphProto g) {
        ProtoWriter w = new ProtoWriter();
        for (NodeProto n : g.nodes()) {
            w.message(1, node(n));
        }
        w.optString(2, g.name());
        for (TensorProto t : g.initializers()) {
            w.message(5, tensor(t));
        }
        w.optString(10, g.docString());
        for (ValueInfoProto v : g.inputs()) {
            w.message(11, valueInfo(v));
        }
        for (ValueInfoProto v : g.outputs()) {
            w.message(12, valueInfo(v));
        }
        for (ValueInfoProto v : g.valueInfo()) {
            w.message(13, valueInfo(v));
        }
        entries(w, 16, g.metadataProps());
        return w;
    }

    static ProtoWriter node(NodeProto n) {
        ProtoWriter w = new ProtoWriter();
        for (String s : n.inputs()) {
            w.string(1, s);
        }
        for (String s : n.outputs()) {
            w.string(2, s);
        }
        w.optString(3, n.name());
        w.string(4, n.opType());
        for (AttributeProto a : n.attributes()) {
            w.message(5, attribute(a));
        }
        w.optString(6, n.docString());
        w.optString(7, n.domain());
        return w;
    }

    static ProtoWriter attribute(AttributeProto a) {
        ProtoWriter w = new ProtoWriter();
        w.string(1, a.name());
        switch (a.type()) {
            case FLOAT -> w.floatField(2, a.f());
            case INT -> w.int64(3, a.i());
            case STRING -> w.bytesField(4, a.s());
            case TENSOR -> w.message(5, tensor(a.t()));
            case GRAPH -> w.message(6, graph(a.g()));
            case FLOATS -> w.unpackedFloats(7, a.floats());
            case INTS -> w.unpackedLongs(8, a.ints());
            case STRINGS -> a.strings().forEach(s -> w.bytesField(9, s));
            case TENSORS -> a.tensors().forEach(t -> w.message(10, tensor(t)));
            case GRAPHS -> a.graphs().forEach(g -> w.message(11, graph(g)));
            case TYPE_PROTO -> {
                if (a.tp() != null) {
                    w.message(14, type(a.tp()));
                }
            }
            case TYPE_PROTOS -> a.typeProtos().forEach(t -> w.message(15, type(t)));
            case UNDEFINED, SPARSE_TENSOR, SPARSE_TENSORS -> {
                if (a.type() != AttributeProto.Type.UNDEFINED) {
                    throw new IllegalArgumentException("attribute '" + a.name() + "': Linea does not write sparse tensors");
                }
            }
        }
        w.optString(13, a.docString());
        if (a.type() != AttributeProto.Type.UNDEFINED) {
            w.int32(20, a.type().code);
        }
        w.optString(21, a.refAttrName());
        return w;
    }

    static ProtoWriter valueInfo(ValueInfoProto v) {
        ProtoWriter w = new ProtoWriter();
        w.string(1, v.name());
        if (v.type() != null) {
            w.message(2, type(v.type()));
        }
        w.optString(3, v.docString());
        return w;
    }

    static ProtoWriter type(TypeProto t) {
        ProtoWriter w = new ProtoWriter();
        if (t.kind() == TypeProto.Kind.TENSOR) {
            ProtoWriter tt = new ProtoWriter();
            if (t.elemType() != 0) {
                tt.int32(1, t.elemType());
            }
            if (t.shape() != null) {
                ProtoWriter shape = new ProtoWriter();
                for (TypeProto.Dimension d : t.shape()) {
                    ProtoWriter dim = new ProtoWriter();
                    if (d.param() != null) {
                        dim.string(2, d.param());
                    } else if (d.value() >= 0) {
                        dim.int64(1, d.value());
                    }
                    shape.message(1, dim);
                }
                tt.message(2, shape);
            }
            w.message(1, tt);
        } else if (t.kind() != TypeProto.Kind.NONE) {
            throw new IllegalArgumentException("Linea writes tensor types only, not " + t.kind());
        }
        w.optString(6, t.denotation());
        return w;
    }

    static ProtoWriter tensor(TensorProto t) {
        ProtoWriter w = new ProtoWriter();
        w.unpackedLongs(1, t.dims());
        w.int32(2, t.dataType());
        w.packedFloats(4, t.floatData());
        w.packedInts(5, t.int32Data());
        t.stringData().forEach(s -> w.bytesField(6, s));
        w.packedLongs(7, t.int64Data());
        w.optString(8, t.name());
        if (t.rawData() != null) {
            w.bytesField(9, t.rawData());
        }
        w.packedDoubles(10, t.doubleData());
        w.packedLongs(11, t.uint64Data());
        w.optString(12, t.docString());
        entries(w, 13, t.externalData());
        if (t.dataLocation() != 0) {
            w.int32(14, t.dataLocation());
        }
        return w;
    }
}
