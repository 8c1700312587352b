package dev.linea.data;

import java.io.IOException;

/**
 * A CSV file that is not the table a {@link CsvDataset} needs: empty, no label column, a row with another
 * number of fields than the header, a feature cell that is not a number, an unterminated quote. The message
 * is one line naming the file and, where there is one, the line and column: {@code iris.csv:12: column
 * 'petal_width' (4): 'n/a' is not a number}.
 */
public final class CsvFormatException extends IOException {
    private final String file;

    /** @param file the file's name as given; {@code detail} follows it (e.g. ":12: ..." or ": empty ...") */
    CsvFormatException(String file, String detail) {
        super(file + detail);
        this.file = file;
    }

    /** The file the problem is in. */
    public String file() {
        return file;
    }
}
