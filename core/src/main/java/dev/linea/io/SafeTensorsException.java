package dev.linea.io;

import java.io.IOException;

/** A safetensors file that breaks the format; the message starts with the file's name. */
public class SafeTensorsException extends IOException {
    private final String file;

    /**
     * @param file the file (or other source) that was read
     * @param problem what is wrong with it
     */
    public SafeTensorsException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** The file that was read. */
    public String file() {
        return file;
    }
}
