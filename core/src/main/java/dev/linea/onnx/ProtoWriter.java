package dev.linea.onnx;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The protobuf wire format, writing side, into a growable byte array. Sub-messages are built bottom-up:
 * the child is written into its own writer, then appended with its length ({@link #message}).
 */
final class ProtoWriter {
    private byte[] buf = new byte[64];
    private int n;

    byte[] toByteArray() {
        return Arrays.copyOf(buf, n);
    }

    int size() {
        return n;
    }

    private void ensure(int more) {
        if (n + more > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) n + more);
            if (want > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("ONNX message over 2 GiB: keep large tensors in external data");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    void rawByte(int b) {
        ensure(1);
        buf[n++] = (byte) b;
    }

    void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[n++] = (byte) v;
    }

    void key(int field, int wire) {
        varint((long) field << 3 | wire);
    }

    void fixed32(int v) {
        ensure(4);
        buf[n++] = (byte) v;
        buf[n++] = (byte) (v >>> 8);
        buf[n++] = (byte) (v >>> 16);
        buf[n++] = (byte) (v >>> 24);
    }

    void fixed64(long v) {
        fixed32((int) v);
        fixed32((int) (v >>> 32));
    }

    void bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, n, len);
        n += len;
    }

    // ---------------------------------------------------------------- fields

    void int64(int field, long v) {
        key(field, ProtoReader.VARINT);
        varint(v);
    }

    /** An int32/enum field: sign-extended to 64 bits, as protobuf does (negative values take 10 bytes). */
    void int32(int field, int v) {
        int64(field, v);
    }

    void floatField(int field, float v) {
        key(field, ProtoReader.FIXED32);
        fixed32(Float.floatToRawIntBits(v));
    }

    void bytesField(int field, byte[] b) {
        key(field, ProtoReader.LENGTH);
        varint(b.length);
        bytes(b, 0, b.length);
    }

    void string(int field, String s) {
        bytesField(field, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code s} only when it is non-null and non-empty (proto2 optional strings left unset). */
    void optString(int field, String s) {
        if (s != null && !s.isEmpty()) {
            string(field, s);
        }
    }

    void message(int field, ProtoWriter child) {
        key(field, ProtoReader.LENGTH);
        varint(child.n);
        bytes(child.buf, 0, child.n);
    }

    /** Repeated int64, unpacked (proto2's default, as ONNX's {@code dims} and {@code ints} are written). */
    void unpackedLongs(int field, long[] v) {
        for (long x : v) {
            int64(field, x);
        }
    }

    void unpackedFloats(int field, float[] v) {
        for (float x : v) {
            floatField(field, x);
        }
    }

    void packedLongs(int field, long[] v) {
        if (v.length == 0) {
            return;
        }
        ProtoWriter c = new ProtoWriter();
        for (long x : v) {
            c.varint(x);
        }
        message(field, c);
    }

    void packedInts(int field, int[] v) {
        if (v.length == 0) {
            return;
        }
        ProtoWriter c = new ProtoWriter();
        for (int x : v) {
            c.varint(x);
        }
        message(field, c);
    }

    void packedFloats(int field, float[] v) {
        if (v.length == 0) {
            return;
        }
        key(field, ProtoReader.LENGTH);
        varint(4L * v.length);
        for (float x : v) {
            fixed32(Float.floatToRawIntBits(x));
        }
    }

    void packedDoubles(int field, double[] v) {
        if (v.length == 0) {
            return;
        }
        key(field, ProtoReader.LENGTH);
        varint(8L * v.length);
        for (double x : v) {
            fixed64(Double.doubleToRawLongBits(x));
        }
    }
}
