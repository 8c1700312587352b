package dev.linea.io;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The safetensors element types Linea reads. I64 and BOOL load as int64 and bool tensors (exact); the
 * others convert to float32 (F32 is exact; F64 and U64 round). Linea writes F32, I64 and BOOL.
 */
enum Dtype {
    F32(4), F64(8), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U64(8), U32(4), U16(2), U8(1), BOOL(1);

    final int size;

    Dtype(int size) {
        this.size = size;
    }

    /** The dtype named in a header, or null when unsupported (e.g. F8_E4M3). */
    static Dtype parse(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    static String supported() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** Reads {@code count} little-endian elements from {@code in} into {@code out[at..]} as floats. */
    void decode(ByteBuffer in, float[] out, int at, int count) {
        switch (this) {
            case F32 -> in.asFloatBuffer().get(out, at, count);
            case F64 -> { for (int i = 0; i < count; i++) out[at + i] = (float) in.getDouble(); }
            case F16 -> { for (int i = 0; i < count; i++) out[at + i] = Float.float16ToFloat(in.getShort()); }
            case BF16 -> { for (int i = 0; i < count; i++) out[at + i] = Float.intBitsToFloat(in.getShort() << 16); }
            case I64 -> { for (int i = 0; i < count; i++) out[at + i] = in.getLong(); }
            case I32 -> { for (int i = 0; i < count; i++) out[at + i] = in.getInt(); }
            case I16 -> { for (int i = 0; i < count; i++) out[at + i] = in.getShort(); }
            case I8 -> { for (int i = 0; i < count; i++) out[at + i] = in.get(); }
            case U64 -> { for (int i = 0; i < count; i++) out[at + i] = unsignedLongToFloat(in.getLong()); }
            case U32 -> { for (int i = 0; i < count; i++) out[at + i] = Integer.toUnsignedLong(in.getInt()); }
            case U16 -> { for (int i = 0; i < count; i++) out[at + i] = Short.toUnsignedInt(in.getShort()); }
            case U8 -> { for (int i = 0; i < count; i++) out[at + i] = Byte.toUnsignedInt(in.get()); }
            case BOOL -> { for (int i = 0; i < count; i++) out[at + i] = in.get() != 0 ? 1f : 0f; }
        }
    }

    private static float unsignedLongToFloat(long v) {
        return v >= 0 ? v : (float) (v >>> 1) * 2f;
    }
}
