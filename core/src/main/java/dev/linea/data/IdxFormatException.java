package dev.linea.data;

import java.io.IOException;

/**
 * A file or stream is not a valid IDX file of the kind expected. The message always starts with the
 * file's name and states the numbers involved (expected vs actual), so a user can tell a truncated
 * download from a wrong file without a debugger.
 */
public final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param source file path or resource name; @param problem what is wrong, with the numbers */
    public IdxFormatException(String source, String problem) {
        super(source + ": " + problem);
    }
}
