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
 * <p>Writing keeps all tensors inline ({@code raw_data} as given); models over 2 GiB are refused. Writes are
 * atomic.
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
