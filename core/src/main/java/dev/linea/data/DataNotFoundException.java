package dev.linea.data;

import java.io.IOException;
import java.util.List;

/**
 * A data set's files were found nowhere. The message lists every place searched, why each did not
 * qualify, and the one command that gets the data.
 */
public final class DataNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> searched;

    /** @param message full message; @param searched one line per place searched */
    public DataNotFoundException(String message, List<String> searched) {
        super(message);
        this.searched = List.copyOf(searched);
    }

    /** One line per place searched, in search order, each saying why it did not qualify. */
    public List<String> searched() {
        return searched;
    }
}
