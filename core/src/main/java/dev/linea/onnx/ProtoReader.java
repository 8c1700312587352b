package dev.linea.onnx;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The protobuf wire format, reading side: keys, varints, fixed32/64, length-delimited fields, over one byte
 * array. Every length is checked against the bytes that remain in the enclosing message, so a lying length
 * can neither read past its message nor make the reader allocate more than the input holds; sub-messages
 * nest at most {@link #MAX_DEPTH} deep.
 */
final class ProtoReader {
    /** Deepest message nesting accepted (graphs in attributes in nodes in graphs...). */
    static final int MAX_DEPTH = 64;

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private final String source;
    private int pos;
    private int limit;
    private int depth;

    ProtoReader(byte[] buf, String source) {
        this.buf = buf;
        this.source = source;
        this.limit = buf.length;
    }

    String source() {
        return source;
    }

    OnnxFormatException error(String problem) {
        return new OnnxFormatException(source, problem + " (at byte " + pos + ")");
    }

    boolean atEnd() {
        return pos >= limit;
    }

    /** The next key: {@code field << 3 | wireType}; checks the wire type and that the field number is positive. */
    int readKey() throws OnnxFormatException {
        long key = readVarint();
        int wire = (int) (key & 7);
        long field = key >>> 3;
        if (field <= 0 || field > 0x1FFFFFFF) {
            throw error("field number " + field + " out of range");
        }
        if (wire != VARINT && wire != FIXED64 && wire != LENGTH && wire != FIXED32) {
            throw error("field " + field + " has wire type " + wire + " (groups and undefined types are not in ONNX)");
        }
        return (int) key;
    }

    long readVarint() throws OnnxFormatException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw error("truncated varint");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw error("varint longer than 10 bytes");
    }

    /** A varint as an int32 field: protobuf truncates the 64-bit value (negative int32s take 10 bytes). */
    int readInt32() throws OnnxFormatException {
        return (int) readVarint();
    }

    int readFixed32() throws OnnxFormatException {
        need(4);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    long readFixed64() throws OnnxFormatException {
        long lo = readFixed32() & 0xFFFFFFFFL;
        long hi = readFixed32() & 0xFFFFFFFFL;
        return lo | hi << 32;
    }

    float readFloat() throws OnnxFormatException {
        return Float.intBitsToFloat(readFixed32());
    }

    double readDouble() throws OnnxFormatException {
        return Double.longBitsToDouble(readFixed64());
    }

    /** The length of a length-delimited field, checked against the bytes left in the enclosing message. */
    int readLength() throws OnnxFormatException {
        int at = pos;
        long n = readVarint();
        if (n < 0 || n > limit - pos) {
            int left = limit - pos;
            pos = at;
            throw error("length " + Long.toUnsignedString(n) + " exceeds the " + left + " bytes left");
        }
        return (int) n;
    }

    byte[] readBytes() throws OnnxFormatException {
        int n = readLength();
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    String readString() throws OnnxFormatException {
        int n = readLength();
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(buf, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw error("string of " + n + " bytes is not valid UTF-8");
        }
    }

    /** Enters a sub-message; returns the enclosing limit, to pass to {@link #endMessage}. */
    int beginMessage() throws OnnxFormatException {
        int n = readLength();
        if (++depth > MAX_DEPTH) {
            throw error("messages nested deeper than " + MAX_DEPTH);
        }
        int old = limit;
        limit = pos + n;
        return old;
    }

    void endMessage(int oldLimit) {
        pos = limit;
        limit = oldLimit;
        depth--;
    }

    /** Skips a field of an unknown (or ignored) number. */
    void skip(int key) throws OnnxFormatException {
        switch (key & 7) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                need(8);
                pos += 8;
            }
            case LENGTH -> {
                int n = readLength();
                pos += n;
            }
            case FIXED32 -> {
                need(4);
                pos += 4;
            }
            default -> throw error("wire type " + (key & 7));
        }
    }

    private void need(int n) throws OnnxFormatException {
        if (limit - pos < n) {
            throw error("truncated: " + n + " bytes needed, " + (limit - pos) + " left");
        }
    }

    // ---------------------------------------------------------------- repeated scalars, packed or not

    /** Appends one int64 element (unpacked key) or a packed run to {@code to}. */
    void readLongs(int key, LongList to) throws OnnxFormatException {
        if ((key & 7) == LENGTH) {
            int n = readLength();
            int end = pos + n;
            int old = limit;
            limit = end;
            while (pos < end) {
                to.add(readVarint());
            }
            limit = old;
        } else if ((key & 7) == VARINT) {
            to.add(readVarint());
        } else {
            throw error("field " + (key >>> 3) + ": wire type " + (key & 7) + " for an integer");
        }
    }

    void readFloats(int key, FloatList to) throws OnnxFormatException {
        if ((key & 7) == LENGTH) {
            int n = readLength();
            if (n % 4 != 0) {
                throw error("packed floats of " + n + " bytes (not a multiple of 4)");
            }
            for (int end = pos + n; pos < end; ) {
                to.add(readFloat());
            }
        } else if ((key & 7) == FIXED32) {
            to.add(readFloat());
        } else {
            throw error("field " + (key >>> 3) + ": wire type " + (key & 7) + " for a float");
        }
    }

    void readDoubles(int key, DoubleList to) throws OnnxFormatException {
        if ((key & 7) == LENGTH) {
            int n = readLength();
            if (n % 8 != 0) {
                throw error("packed doubles of " + n + " bytes (not a multiple of 8)");
            }
            for (int end = pos + n; pos < end; ) {
                to.add(readDouble());
            }
        } else if ((key & 7) == FIXED64) {
            to.add(readDouble());
        } else {
            throw error("field " + (key >>> 3) + ": wire type " + (key & 7) + " for a double");
        }
    }

    /** Checks that a field has the wire type its schema gives it. */
    void expect(int key, int wire, String what) throws OnnxFormatException {
        if ((key & 7) != wire) {
            throw error(what + " (field " + (key >>> 3) + ") has wire type " + (key & 7) + ", not " + wire);
        }
    }

    /** Growable long[]; grows only as elements arrive, so memory follows the input's size. */
    static final class LongList {
        long[] a = new long[0];
        int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, Math.max(4, n * 2));
            }
            a[n++] = v;
        }

        long[] toArray() {
            return n == 0 ? Empty.LONGS : Arrays.copyOf(a, n);
        }

        int[] toIntArray() {
            int[] r = new int[n];
            for (int i = 0; i < n; i++) {
                r[i] = (int) a[i];
            }
            return r;
        }
    }

    static final class FloatList {
        float[] a = new float[0];
        int n;

        void add(float v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, Math.max(4, n * 2));
            }
            a[n++] = v;
        }

        float[] toArray() {
            return n == 0 ? Empty.FLOATS : Arrays.copyOf(a, n);
        }
    }

    static final class DoubleList {
        double[] a = new double[0];
        int n;

        void add(double v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, Math.max(4, n * 2));
            }
            a[n++] = v;
        }

        double[] toArray() {
            return n == 0 ? Empty.DOUBLES : Arrays.copyOf(a, n);
        }
    }

    /** Shared empty arrays: absent repeated fields cost nothing. */
    static final class Empty {
        static final long[] LONGS = {};
        static final float[] FLOATS = {};
        static final double[] DOUBLES = {};
        static final int[] INTS = {};

        private Empty() {}
    }
}
