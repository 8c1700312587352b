package dev.linea.onnx;

import dev.linea.internal.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes ONNX files: the protobuf (proto2) wire format of {@code onnx.proto}, hand-written so that
 * core keeps no dependency. Reading skips unknown fields, accepts repeated numbers packed or unpacked and
 * negative varints, loads external data from files in the model's folder, and is bounded: every length is
 * checked against the bytes left, messages nest at most 64 deep, tensors have at most 64 dimensions and
 * exactly the data their shape needs. Every problem is one {@link OnnxFormatException} naming the file.
 *
 * <p>Writing keeps tensors inline ({@code raw_data} as given), or moves the large initializers into an external
 * data file next to the model ({@link #write(ModelProto, Path, String, long)}), the way ONNX stores models over
 * protobuf's 2 GiB. Writes are atomic.
 */
public final class OnnxCodec {
    /** Largest file read at once (protobuf's own 2 GiB message limit). */
    public static final long MAX_FILE_SIZE = Integer.MAX_VALUE - 8;

    private OnnxCodec() {}

    /** Reads a model file; external data is resolved relative to the file's folder. */
    public static ModelProto readModel(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        return new Decoder(readAll(path), path.toString(), dir).readModel();
    }

    /** Decodes a model from bytes; {@code source} names them in errors; external data is refused. */
    public static ModelProto decodeModel(byte[] bytes, String source) throws OnnxFormatException {
        return new Decoder(bytes, source, null).readModel();
    }

    /** Reads one serialized TensorProto (the {@code input_N.pb}/{@code output_N.pb} of ONNX's test cases). */
    public static TensorProto readTensor(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        return new Decoder(readAll(path), path.toString(), dir).readTensor();
    }

    /** Decodes one TensorProto from bytes. */
    public static TensorProto decodeTensor(byte[] bytes, String source) throws OnnxFormatException {
        return new Decoder(bytes, source, null).readTensor();
    }

    /** The model's bytes. */
    public static byte[] encode(ModelProto model) {
        return Encoder.model(model).toByteArray();
    }

    /** One TensorProto's bytes. */
    public static byte[] encode(TensorProto tensor) {
        return Encoder.tensor(tensor).toByteArray();
    }

    /** Writes the model to {@code path}, atomically. */
    public static void write(ModelProto model, Path path) throws IOException {
        AtomicFiles.write(path, encode(model));
    }

    /**
     * Writes the model to {@code path} with every initializer whose {@code raw_data} holds at least
     * {@code threshold} bytes moved to the file {@code dataFile} in the same folder (written first, both
     * atomically), referenced by {@code location}/{@code offset}/{@code length} entries as ONNX's
     * {@code convert_model_to_external_data} does; each tensor's data starts at a multiple of 4096 bytes.
     */
    public static void write(ModelProto model, Path path, String dataFile, long threshold) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path data = dir.resolve(dataFile).normalize();
        if (!data.getParent().equals(dir) || data.equals(path.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("external data file '" + dataFile + "' must be another file in the "
                    + "model's folder");
        }
        GraphProto g = model.graph();
        java.util.List<TensorProto> moved = new java.util.ArrayList<>();
        java.util.List<TensorProto> inits = new java.util.ArrayList<>();
        long offset = 0;
        for (TensorProto t : g.initializers()) {
            if (t.rawData() == null || t.rawData().length < threshold || t.dataLocation() != 0) {
                inits.add(t);
                continue;
            }
            offset = (offset + 4095) / 4096 * 4096;
            moved.add(t);
            inits.add(new TensorProto(t.name(), t.dataType(), t.dims(), null, null, null, null, null, null, null,
                    java.util.List.of(new StringStringEntryProto("location", dataFile),
                            new StringStringEntryProto("offset", Long.toString(offset)),
                            new StringStringEntryProto("length", Long.toString(t.rawData().length))), 1, t.docString()));
            offset += t.rawData().length;
        }
        AtomicFiles.write(data, out -> {
            long at = 0;
            for (TensorProto t : moved) {
                long start = (at + 4095) / 4096 * 4096;
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(t.rawData());
                while (b.hasRemaining()) {
                    out.write(b, start + b.position());
                }
                at = start + t.rawData().length;
            }
        });
        GraphProto small = new GraphProto(g.name(), g.nodes(), inits, g.inputs(), g.outputs(), g.valueInfo(),
                g.docString(), g.metadataProps(), g.sparseInitializers());
        write(new ModelProto(model.irVersion(), model.producerName(), model.producerVersion(), model.domain(),
                model.modelVersion(), model.docString(), small, model.opsetImport(), model.metadataProps(),
                model.functions()), path);
    }

    /** Writes one TensorProto to {@code path}, atomically. */
    public static void write(TensorProto tensor, Path path) throws IOException {
        AtomicFiles.write(path, encode(tensor));
    }

    private static byte[] readAll(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new OnnxFormatException(path.toString(), "no such file");
        }
        long size = Files.size(path);
        if (size > MAX_FILE_SIZE) {
            throw new OnnxFormatException(path.toString(), "file of " + size
                    + " bytes is over protobuf's 2 GiB limit (large models keep tensors in external data)");
        }
        return Files.readAllBytes(path);
    }
}
