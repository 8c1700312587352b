package dev.linea.data;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records from text: fields split at commas, a field in double quotes may hold commas, line breaks and
 * doubled quotes ({@code ""} for {@code "}); CRLF and LF end records; blank lines are skipped. Each record keeps
 * the line it starts on, for messages.
 */
final class Csv {
    /** One record: its fields and the (1-based) line it starts on. */
    record Row(int line, List<String> fields) {}

    private Csv() {}

    /** The records of {@code text}; {@code file} names it in the message of an unterminated quote. */
    static List<Row> parse(String text, String file) throws CsvFormatException {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1, start = 1, quoteLine = 0;
        boolean quoted = false, wasQuoted = false, any = false;
        int i = text.startsWith("\uFEFF") ? 1 : 0; // a UTF-8 byte-order mark, as spreadsheets write
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (field.toString().isBlank() && !wasQuoted) {
                        field.setLength(0);
                        quoted = wasQuoted = true;
                        quoteLine = line;
                        any = true;
                    } else {
                        throw new CsvFormatException(file, ":" + line + ": a quote inside an unquoted field (quote the "
                                + "whole field and double the quotes in it: \"a \"\"b\"\"\")");
                    }
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    wasQuoted = false;
                    any = true;
                }
                case '\r' -> { } // of CRLF
                case '\n' -> {
                    if (any || !field.toString().isBlank()) {
                        fields.add(field.toString());
                        rows.add(new Row(start, List.copyOf(fields)));
                    }
                    fields.clear();
                    field.setLength(0);
                    wasQuoted = any = false;
                    start = ++line;
                }
                default -> {
                    if (!wasQuoted) {
                        field.append(c);
                    } else if (!Character.isWhitespace(c)) {
                        throw new CsvFormatException(file, ":" + line + ": text after a closing quote");
                    }
                }
            }
        }
        if (quoted) {
            throw new CsvFormatException(file, ":" + quoteLine + ": a quoted field is never closed");
        }
        if (any || !field.toString().isBlank()) {
            fields.add(field.toString());
            rows.add(new Row(start, List.copyOf(fields)));
        }
        return rows;
    }
}
