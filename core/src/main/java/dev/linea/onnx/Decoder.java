package dev.linea.onnx;

import dev.linea.onnx.ProtoReader.DoubleList;
import dev.linea.onnx.ProtoReader.FloatList;
import dev.linea.onnx.ProtoReader.LongList;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes ONNX's messages from the wire format (field numbers of onnx.proto, v1.22). Unknown fields are
 * skipped; repeated numbers are accepted packed and unpacked; each tensor's data is checked against its shape;
 * external data is read from files next to the model (never outside its folder).
 */
final class Decoder {
    /** Most dimensions a tensor or a tensor type may have (PyTorch's limit for dimension lists). */
    static final int MAX_RANK = 64;

    private final ProtoReader in;
    /** Folder external data is relative to; {@code null} when decoding bytes that came from no file. */
    private final Path baseDir;

    Decoder(byte[] bytes, String source, Path baseDir) {
        this.in = new ProtoReader(bytes, source);
        this.baseDir = baseDir;
    }

    private void end() throws OnnxFormatException {
        if (!in.atEnd()) {
            throw in.error("trailing bytes");
        }
    }

    ModelProto model() throws OnnxFormatException {
        long ir = 0, modelVersion = 0;
        String producer = "", producerVersion = "", domain = "", doc = "";
        GraphProto graph = null;
        List<OperatorSetIdProto> opsets = new ArrayList<>();
        List<StringStringEntryProto> meta = new ArrayList<>();
        int functions = 0;
        while (!in.atEnd()) {
            int key = in.readKey();
            switch (key >>> 3) {
                case 1 -> ir = varint(key, "ir_version");
                case 2 -> producer = string(key, "producer_name");
                case 3 -> producerVersion = string(key, "producer_version");
                case 4 -> domain = string(key, "domain");
                case 5 -> modelVersion = varint(key, "model_version");
                case 6 -> doc = string(key, "doc_string");
                case 7 -> {
                    int old = begin(key, "graph");
                    graph = graph();
                    in.endMessage(old);
                }
                case 8 -> {
                    int old = begin(key, "opset_import");
                    opsets.add(opset());
                    in.endMessage(old);
                }
                case 14 -> {
                    int old = begin(key, "metadata_props");
                    meta.add(entry());
                    in.endMessage(old);
                }
                case 25 -> {
                    in.expect(key, ProtoReader.LENGTH, "functions");
                    in.skip(key);
                    functions++;
                }
                default -> in.skip(key);
            }
        }
        if (graph == null) {
            throw in.error("the model has no graph (ModelProto field 7)");
        }
        return new ModelProto(ir, producer, producerVersion, domain, modelVersion, doc, graph, opsets, meta, functions);
    }

    private OperatorSetIdProto opset() throws OnnxFormatException {
        String domain = "";
        long version = 0;
        while (!in.atEnd()) {
            int key = in.readKey();
            switch (key >>> 3) {
                case 1 -> domain = string(key, "opset domain");
                case 2 -> version = varint(key, "opset version");
                default -> in.skip(key);
            }
        }
        return new OperatorSetIdProto(domain, version);
    }

    private StringStringEntryProto entry() throws OnnxFormatException {
        String k = "", v = "";
        while (!in.atEnd()) {
            int key = in.readKey();
            switch (key >>> 3) {
                case 1 -> k = string(key, "key");
                case 2 -> v = string(key, "value");
                default -> in.skip(key);
            }
        }
        return new StringStringEntryProto(k, v);
    }

    GraphProto graph() throws OnnxFormatException {
        String name = "", doc = "";
        List<NodeProto> nodes = new ArrayList<>();
        List<TensorProto> inits = new ArrayList<>();
        List<ValueInfoProto> inputs = new ArrayList<>(), outputs = new ArrayList<>(), info = new ArrayList<>();
        List<StringStringEntryProto> meta = new ArrayList<>();
        int sparse = 0;
        while (!in.atEnd()) {
            int key = in.readKey();
            switch (key >>> 3) {
                case 1 -> {
                    int old = begin(key, "node");
                    nodes.add(node());
                    in.endMessage(old);
                }
                case 2 -> name = string(key, "graph name");
                case 5 -> {
                    int old = begin(key, "initializer");
                    inits.add(tensor());
                    in.endMessage(old);
                }
                case 10 -> doc = string(key, "doc_string");
                case 11, 12, 13 -> {
                    int field = key >>> 3;
                    int old = begin(key, field == 11 ? "input" : field == 12 ? "output" : "value_info");
                    ValueInfoProto v = valueInfo();
                    in.endMessage(old);
                    (field == 11 ? inputs : field == 12 ? outputs : info).add(v);
                }
                case 15 -> {
                    in.expect(key, ProtoReader.LENGTH, "sparse_initializer");
                    in.skip(key);
                    sparse++;
                }
                case 16 -> {
                    int old = begin(key, "metadata_props");
                    meta.add(entry());
                    in.endMessage(old);
                }
                default -> in.skip(key);
            }
        }
        return new GraphProto(name, nodes, inits, inputs, outputs, info, doc, meta, sparse);
    }

    private NodeProto node() throws OnnxFormatException {
        String name = "", op = "", domain = "", doc = "";
        List<String> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        List<AttributeProto> attrs = new ArrayList<>();
        while (!in.atEnd()) {
            int key = in.readKey();
            switch (key >>> 3) {
                case 1 -> inputs.add(string(key, "node input"));
                case 2 -> outputs.add(string(key, "node output"));
                case 3 -> name = string(key, "node name");
                case 4 -> op = string(key, "op_type");
                case 5 -> {
                    int old = begin(key, "attribute");
                    attrs.add(attribute());
                    in.endMessage(old);
                }
                case 6 -> doc = string(key, "doc_string");
                case 7 -> domain = string(key, "node domain");
                default -> in.skip(key);
            }
        }
        return new NodeProto(name, op, domain, inputs, outputs, attrs, doc);
    }

    private AttributeProto attribute() throws OnnxFormatException {
        String name = "", doc = "", ref = "";
        long type = -1, i = 0;
        float f = 0;
        byte[] s = null;
        TensorProto t = null;
        GraphProto g = null;
        TypeProto tp = null;
        FloatList floats = new FloatList();
        LongList ints = new LongList();
        List<byte[]> strings = new ArrayList<>();
        List<TensorProto> tensors = new ArrayList<>();
        List<GraphProto> graphs = new ArrayList<>();
        List<TypeProto> tps = new ArrayList<>();
        int sparse = 0;
        boolean hasF = false, hasI = false;
        while (!in.atEnd()) {
            int key = in.readKey();
            switch (key >>> 3) {
                case 1 -> name = string(key, "attribute name");
                case 2 -> {
                    in.expect(key, ProtoReader.FIXED32, "attribute f");
                    f = in.readFloat();
                    hasF = true;
                }
                case 3 -> {
                    i = varint(key, "attribute i");
                    hasI = true;
                }
                case 4 -> {
                    in.expect(key, ProtoReader.LENGTH, "attribute s");
                    s = in.readBytes();
                }
                case 5 -> {
                    int old = begin(key, "attribute t");
                    t = tensor();
                    in.endMessage(old);
                }
                case 6 -> {
                    int old = begin(key, "attribute g");
                    g = graph();
                    in.endMessage(old);
                }
                case 7 -> in.readFloats(key, floats);
                case 8 -> in.readLongs(key, ints);
                case 9 -> {
                    in.expect(key, ProtoReader.LENGTH, "attribute strings");
                    strings.add(in.readBytes());
                }
                case 10 -> {
                    int old = begin(key, "attribute tensors");
                    tensors.add(tensor());
                    in.endMessage(old);
                }
                case 11 -> {
                    int old = begin(key, "attribute graphs");
                    graphs.add(graph());
                    in.endMessage(old);
                }
                case 13 -> doc = string(key, "doc_string");
                case 14 -> {
                    int old = begin(key, "attribute tp");
                    tp = type();
                    in.endMessage(old);
                }
                case 15 -> {
                    int old = begin(key, "attribute type_protos");
                    tps.add(type());
                    in.endMessage(old);
                }
                case 20 -> type = varint(key, "attribute type");
                case 21 -> ref = string(key, "ref_attr_name");
                case 22, 23 -> {
                    in.expect(key, ProtoReader.LENGTH, "attribute sparse_tensor");
                    in.skip(key);
                    sparse++;
                }
                default -> in.skip(key);
            }
        }
        AttributeProto.Type kind;
        if (type >= 0) {
            kind = AttributeProto.Type.of(type);
            if (kind == null) {
                throw in.error("attribute '" + name + "' has unknown type " + type);
            }
        } else {
            // IR version 1 files leave type out: the field that is set says it.
            kind = hasF ? AttributeProto.Type.FLOAT : hasI ? AttributeProto.Type.INT : s != null ? AttributeProto.Type.STRING
                    : t != null ? AttributeProto.Type.TENSOR : g != null ? AttributeProto.Type.GRAPH
                    : floats.n > 0 ? AttributeProto.Type.FLOATS : ints.n > 0 ? AttributeProto.Type.INTS
                    : !strings.isEmpty() ? AttributeProto.Type.STRINGS : !tensors.isEmpty() ? AttributeProto.Type.TENSORS
                    : !graphs.isEmpty() ? AttributeProto.Type.GRAPHS : AttributeProto.Type.UNDEFINED;
        }
        if (kind == AttributeProto.Type.TENSOR && t == null) {
            throw in.error("attribute '" + name + "' is of type TENSOR but has no tensor");
        }
        if (kind == AttributeProto.Type.GRAPH && g == null) {
            throw in.error("attribute '" + name + "' is of type GRAPH but has no graph");
        }
        return new AttributeProto(name, kind, f, i, s, t, g, floats.toArray(), ints.toArray(), strings, tensors, graphs,
                tp, tps, ref, doc, sparse);
    }

    private ValueInfoProto valueInfo() throws OnnxFormatException {
        String name = "", doc = "";
        TypeProto type = null;
        while (!in.atEnd()) {
            int key = in.readKey();
            switch (key >>> 3) {
                case 1 -> name = string(key, "value name");
                case 2 -> {
                    int old = begin(key, "value type");
                    type = type();
                    in.endMessage(old);
                }
                case 3 -> doc = string(key, "doc_string");
                default -> in.skip(key);
            }
        }
        return new ValueInfoProto(name, type, doc);
    }

    private TypeProto type() throws OnnxFormatException {
        TypeProto.Kind kind = TypeProto.Kind.NONE;
        int elem = 0;
        List<TypeProto.Dimension> shape = null;
        String denotation = "";
        while (!in.atEnd()) {
            int key = in.readKey();
            switch (key >>> 3) {
                case 1 -> {
                    int old = begin(key, "tensor_type");
                    kind = TypeProto.Kind.TENSOR;
                    while (!in.atEnd()) {
                        int k = in.readKey();
                        switch (k >>> 3) {
                            case 1 -> elem = (int) varint(k, "elem_type");
                            case 2 -> {
                                int o = begin(k, "shape");
                                shape = shape();
                                in.endMessage(o);
                            }
                            default -> in.skip(k);
                        }
                    }
                    in.endMessage(old);
                }
                case 4, 5, 8, 9 -> {
                    in.expect(key, ProtoReader.LENGTH, "type");
                    in.skip(key);
                    int f = key >>> 3;
                    kind = f == 4 ? TypeProto.Kind.SEQUENCE : f == 5 ? TypeProto.Kind.MAP
                            : f == 8 ? TypeProto.Kind.SPARSE_TENSOR : TypeProto.Kind.OPTIONAL;
                }
                case 6 -> denotation = string(key, "denotation");
                default -> in.skip(key);
            }
        }
        return new TypeProto(kind, elem, shape, denotation);
    }

    private List<TypeProto.Dimension> shape() throws OnnxFormatException {
        List<TypeProto.Dimension> dims = new ArrayList<>();
        while (!in.atEnd()) {
            int key = in.readKey();
            if (key >>> 3 != 1) {
                in.skip(key);
                continue;
            }
            if (dims.size() == MAX_RANK) {
                throw in.error("tensor type with more than " + MAX_RANK + " dimensions");
            }
            int old = begin(key, "dim");
            long value = -1;
            String param = null;
            while (!in.atEnd()) {
                int k = in.readKey();
                switch (k >>> 3) {
                    case 1 -> {
                        value = varint(k, "dim_value");
                        param = null;
                    }
                    case 2 -> {
                        param = string(k, "dim_param");
                        value = -1;
                    }
                    default -> in.skip(k);
                }
            }
            in.endMessage(old);
            dims.add(new TypeProto.Dimension(value, param));
        }
        return dims;
    }

    TensorProto tensor() throws OnnxFormatException {
        String name = "", doc = "";
        int dataType = 0, location = 0;
        LongList dims = new LongList(), int64 = new LongList(), uint64 = new LongList(), int32 = new LongList();
        FloatList floats = new FloatList();
        DoubleList doubles = new DoubleList();
        byte[] raw = null;
        List<byte[]> strings = new ArrayList<>();
        List<StringStringEntryProto> external = new ArrayList<>();
        int start = 0;
        while (!in.atEnd()) {
            int key = in.readKey();
            switch (key >>> 3) {
                case 1 -> {
                    in.readLongs(key, dims);
                    if (dims.n > MAX_RANK) {
                        throw in.error("tensor with more than " + MAX_RANK + " dimensions");
                    }
                }
                case 2 -> dataType = (int) varint(key, "data_type");
                case 4 -> in.readFloats(key, floats);
                case 5 -> in.readLongs(key, int32);
                case 6 -> {
                    in.expect(key, ProtoReader.LENGTH, "string_data");
                    strings.add(in.readBytes());
                }
                case 7 -> in.readLongs(key, int64);
                case 8 -> name = string(key, "tensor name");
                case 9 -> {
                    in.expect(key, ProtoReader.LENGTH, "raw_data");
                    raw = in.readBytes();
                }
                case 10 -> in.readDoubles(key, doubles);
                case 11 -> in.readLongs(key, uint64);
                case 12 -> doc = string(key, "doc_string");
                case 13 -> {
                    int old = begin(key, "external_data");
                    external.add(entry());
                    in.endMessage(old);
                }
                case 14 -> location = (int) varint(key, "data_location");
                default -> in.skip(key);
            }
        }
        long[] shape = dims.toArray();
        for (long d : shape) {
            if (d < 0) {
                throw in.error("tensor '" + name + "' has a negative dimension: " + Arrays.toString(shape));
            }
        }
        TensorProto t = new TensorProto(name, dataType, shape, floats.toArray(), int32.toIntArray(), int64.toArray(),
                doubles.toArray(), uint64.toArray(), raw, strings, external, location, doc);
        if (location == 1) {
            t = loadExternal(t);
        } else if (location != 0) {
            throw in.error("tensor '" + name + "' has unknown data_location " + location);
        }
        checkData(t);
        return t;
    }

    /** The tensor's data must be exactly what its shape needs: catches lying dims (huge tensors of no data). */
    private void checkData(TensorProto t) throws OnnxFormatException {
        DataType type = t.type();
        long n = t.numel();
        String what = "tensor '" + t.name() + "' of shape " + Arrays.toString(t.dims());
        if (n < 0) {
            throw in.error(what + " has more elements than a long holds");
        }
        if (type == null || type == DataType.UNDEFINED) {
            throw in.error(what + " has " + (type == null ? "unknown data type " + t.dataType() : "no data type"));
        }
        if (t.rawData() != null) {
            if (type == DataType.STRING) {
                throw in.error(what + ": STRING tensors cannot use raw_data");
            }
            long want = type.rawBytes(n);
            if (t.rawData().length != want) {
                throw in.error(what + " (" + type + ") needs " + want + " bytes of raw_data, has " + t.rawData().length);
            }
            return;
        }
        long stored = t.storedCount();
        if (stored != n) {
            throw in.error(what + " (" + type + ") needs " + n + " elements, its data holds " + stored);
        }
    }

    private TensorProto loadExternal(TensorProto t) throws OnnxFormatException {
        String location = null;
        long offset = 0, length = -1;
        for (StringStringEntryProto e : t.externalData()) {
            switch (e.key()) {
                case "location" -> location = e.value();
                case "offset" -> offset = parse(t, e);
                case "length" -> length = parse(t, e);
                default -> { } // checksum, basepath: not needed to read the bytes
            }
        }
        String what = "tensor '" + t.name() + "'";
        if (location == null) {
            throw in.error(what + " is external but has no location");
        }
        if (baseDir == null) {
            throw in.error(what + " is in external file '" + location + "', but these bytes came from no file");
        }
        DataType type = t.type();
        long n = t.numel();
        if (type == null || type.bits == 0 || n < 0) {
            throw in.error(what + " is external with " + DataType.describe(t.dataType()) + " and shape "
                    + Arrays.toString(t.dims()));
        }
        long want = type.rawBytes(n);
        if (length >= 0 && length != want) {
            throw in.error(what + ": external length " + length + " but shape " + Arrays.toString(t.dims()) + " of "
                    + type + " needs " + want + " bytes");
        }
        if (want > Integer.MAX_VALUE - 8) {
            throw in.error(what + " needs " + want + " bytes, more than one array holds");
        }
        Path base = baseDir.toAbsolutePath().normalize();
        Path file = base.resolve(location).normalize();
        if (Path.of(location).isAbsolute() || !file.startsWith(base)) {
            throw in.error(what + ": external data location '" + location + "' is outside the model's folder");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw in.error(what + ": external data file '" + location + "' not found next to the model");
        }
        byte[] raw = new byte[(int) want];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset < 0 || offset > ch.size() || ch.size() - offset < want) {
                throw in.error(what + ": external file '" + location + "' has " + ch.size() + " bytes, needs "
                        + want + " from offset " + offset);
            }
            ByteBuffer b = ByteBuffer.wrap(raw);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0) {
                    throw in.error(what + ": external file '" + location + "' ended early");
                }
            }
        } catch (OnnxFormatException e) {
            throw e;
        } catch (IOException e) {
            throw in.error(what + ": cannot read external file '" + location + "': " + e.getMessage());
        }
        return new TensorProto(t.name(), t.dataType(), t.dims(), null, null, null, null, null, raw, null, null, 0,
                t.docString());
    }

    private long parse(TensorProto t, StringStringEntryProto e) throws OnnxFormatException {
        try {
            long v = Long.parseLong(e.value());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException x) {
            throw in.error("tensor '" + t.name() + "': external " + e.key() + " '" + e.value()
                    + "' is not a non-negative integer");
        }
    }

    // ---------------------------------------------------------------- helpers

    private long varint(int key, String what) throws OnnxFormatException {
        in.expect(key, ProtoReader.VARINT, what);
        return in.readVarint();
    }

    private String string(int key, String what) throws OnnxFormatException {
        in.expect(key, ProtoReader.LENGTH, what);
        return in.readString();
    }

    private int begin(int key, String what) throws OnnxFormatException {
        in.expect(key, ProtoReader.LENGTH, what);
        return in.beginMessage();
    }

    ModelProto readModel() throws OnnxFormatException {
        ModelProto m = model();
        end();
        return m;
    }

    TensorProto readTensor() throws OnnxFormatException {
        TensorProto t = tensor();
        end();
        return t;
    }
}
