package dev.linea.onnx;

/**
 * ONNX's {@code TensorProto.DataType}: the element types of tensors, with their codes in the file and their
 * width in bits ({@code 0} for STRING, whose elements have no fixed width).
 */
public enum DataType {
    UNDEFINED(0, 0), FLOAT(1, 32), UINT8(2, 8), INT8(3, 8), UINT16(4, 16), INT16(5, 16), INT32(6, 32),
    INT64(7, 64), STRING(8, 0), BOOL(9, 8), FLOAT16(10, 16), DOUBLE(11, 64), UINT32(12, 32), UINT64(13, 64),
    COMPLEX64(14, 64), COMPLEX128(15, 128), BFLOAT16(16, 16), FLOAT8E4M3FN(17, 8), FLOAT8E4M3FNUZ(18, 8),
    FLOAT8E5M2(19, 8), FLOAT8E5M2FNUZ(20, 8), UINT4(21, 4), INT4(22, 4), FLOAT4E2M1(23, 4), FLOAT8E8M0(24, 8),
    UINT2(25, 2), INT2(26, 2);

    private static final DataType[] BY_CODE = values();

    /** The number in the file. */
    public final int code;
    /** Bits per element in {@code raw_data} (0 for STRING). */
    public final int bits;

    DataType(int code, int bits) {
        this.code = code;
        this.bits = bits;
    }

    /** The type with this code, or {@code null} for a code newer than ONNX 1.22. */
    public static DataType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The type's name for messages, or {@code "data type N"} for an unknown code. */
    public static String describe(int code) {
        DataType t = of(code);
        return t != null ? t.name() : "data type " + code;
    }

    /** Bytes {@code raw_data} takes for {@code count} elements (sub-byte types pack, low bits first). */
    public long rawBytes(long count) {
        return (count * bits + 7) / 8;
    }
}
