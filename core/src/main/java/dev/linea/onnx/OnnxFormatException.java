package dev.linea.onnx;

import java.io.IOException;

/**
 * An ONNX file (or one serialized protobuf message) that breaks the wire format or ONNX's rules, or that
 * Linea refuses to import; the message starts with the file's name and says what is wrong, on one line.
 */
public class OnnxFormatException extends IOException {
    private final String file;

    /**
     * @param file the file (or other source) that was read
     * @param problem what is wrong with it
     */
    public OnnxFormatException(String file, String problem) {
        super(file + ": " + problem.replace('\n', ' '));
        this.file = file;
    }

    /** The file that was read. */
    public String file() {
        return file;
    }
}
