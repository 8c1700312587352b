package dev.linea.internal.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small part of JSON (RFC 8259) that safetensors headers need, so core stays free of
 * dependencies. Parsing gives {@code Map<String, Object>} (insertion order), {@code List<Object>},
 * {@code String}, {@code Long} (integers that fit), {@code Double} (other numbers), {@code Boolean}
 * and {@code null}. Duplicate keys are rejected: a header naming a tensor twice is ambiguous.
 */
public final class Json {
    private final String text;
    private final boolean nonFinite;
    private int pos;

    private Json(String text, boolean nonFinite) {
        this.text = text;
        this.nonFinite = nonFinite;
    }

    /** Thrown on malformed JSON; the message gives the character offset. */
    public static final class ParseException extends Exception {
        ParseException(String message) {
            super(message);
        }
    }

    /** Parses one value filling all of {@code text} (surrounding white space allowed). */
    public static Object parse(String text) throws ParseException {
        return parse(text, false);
    }

    /**
     * Parses what {@link #write(Object)} wrote: as {@link #parse}, but the string values {@code "NaN"},
     * {@code "Infinity"} and {@code "-Infinity"} (how {@code write} spells the doubles JSON cannot) come
     * back as those {@code Double}s, so a state dict with an infinite "best" survives the round trip.
     */
    public static Object parseWritten(String text) throws ParseException {
        return parse(text, true);
    }

    private static Object parse(String text, boolean nonFinite) throws ParseException {
        Json p = new Json(text, nonFinite);
        p.skipSpace();
        Object v = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected content after the JSON value");
        }
        return v;
    }

    private Object value(int depth) throws ParseException {
        if (depth > 64) {
            throw error("nested too deeply");
        }
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{': return object(depth);
            case '[': return array(depth);
            case '"': return nonFinite ? nonFiniteOr(string()) : string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + c + "'");
        }
    }

    private static Object nonFiniteOr(String s) {
        return switch (s) {
            case "NaN", "Infinity", "-Infinity" -> Double.valueOf(s);
            default -> s;
        };
    }

    private Map<String, Object> object(int depth) throws ParseException {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            map.put(key, value(depth + 1));
            skipSpace();
            char c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws ParseException {
        List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value(depth + 1));
            skipSpace();
            char c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() throws ParseException {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("truncated \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> {
                    pos--;
                    throw error("bad escape '\\" + e + "'");
                }
            }
        }
    }

    private Object number() throws ParseException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("bad number");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("bad number: digit expected after '.'");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("bad number: digit expected in exponent");
            }
            digits();
        }
        String s = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException tooBig) {
                // falls through to a double, as JavaScript would read it
            }
        }
        return Double.parseDouble(s);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) throws ParseException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected character '" + text.charAt(pos) + "'");
        }
        pos += word.length();
        return value;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() throws ParseException {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        return text.charAt(pos++);
    }

    private void expect(char c) throws ParseException {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private ParseException error(String message) {
        return new ParseException(message + " at offset " + pos);
    }

    // ---------------------------------------------------------------- writing

    /** Appends {@code s} as a JSON string, escaping what RFC 8259 requires. */
    static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    /**
     * Appends a value built of maps with string keys, lists, strings, numbers, booleans and null,
     * compactly (no spaces), like serde_json. A double prints as its shortest round-trip form;
     * JSON has no NaN or infinity, so those are written as the strings Java parses back.
     */
    static StringBuilder write(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b);
            case Double d when !Double.isFinite(d) -> quote(sb, d.toString());
            case Float f when !Float.isFinite(f) -> quote(sb, f.toString());
            case Number n -> sb.append(n);
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (var e : m.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    quote(sb, (String) e.getKey()).append(':');
                    write(sb, e.getValue());
                }
                sb.append('}');
            }
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(sb, l.get(i));
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
        return sb;
    }

    /** The compact JSON text of {@code v} (see {@link #write(StringBuilder, Object)}). */
    public static String write(Object v) {
        return write(new StringBuilder(), v).toString();
    }
}
