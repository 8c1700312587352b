package dev.linea.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A tensor in an ONNX file ({@code TensorProto}): an initializer, a Constant's value, or a test case's input
 * or output. Its values are in {@code rawData} when that is present (fixed width, little-endian, row-major),
 * else in the typed field of its data type: FLOAT in {@code floatData}; INT32, INT16, INT8, UINT16, UINT8,
 * BOOL and FLOAT16/BFLOAT16 bit patterns in {@code int32Data}; INT64 in {@code int64Data}; DOUBLE in
 * {@code doubleData}; UINT32/UINT64 in {@code uint64Data}; STRING in {@code stringData}. No dims = a scalar.
 *
 * <p>Tensors read from a file whose data was external ({@code data_location = EXTERNAL}) come back with the
 * bytes in {@code rawData} and {@code dataLocation} {@code 0}: the reader has already loaded them. Arrays are
 * not copied: treat them as read-only.
 *
 * @param name the tensor's name ({@code ""} if none)
 * @param dataType a {@link DataType} code
 * @param dims the shape
 * @param rawData the bytes, or {@code null} when the values are in a typed field
 * @param externalData {@code location}/{@code offset}/{@code length} entries of a tensor not yet loaded
 * @param dataLocation 0 = in this message, 1 = external
 */
public record TensorProto(String name, int dataType, long[] dims, float[] floatData, int[] int32Data,
                          long[] int64Data, double[] doubleData, long[] uint64Data, byte[] rawData,
                          List<byte[]> stringData, List<StringStringEntryProto> externalData, int dataLocation,
                          String docString) {
    public TensorProto {
        name = name == null ? "" : name;
        Objects.requireNonNull(dims, "dims");
        floatData = floatData == null ? ProtoReader.Empty.FLOATS : floatData;
        int32Data = int32Data == null ? ProtoReader.Empty.INTS : int32Data;
        int64Data = int64Data == null ? ProtoReader.Empty.LONGS : int64Data;
        doubleData = doubleData == null ? ProtoReader.Empty.DOUBLES : doubleData;
        uint64Data = uint64Data == null ? ProtoReader.Empty.LONGS : uint64Data;
        stringData = stringData == null ? List.of() : List.copyOf(stringData);
        externalData = externalData == null ? List.of() : List.copyOf(externalData);
        docString = docString == null ? "" : docString;
    }

    /** A FLOAT tensor with its values in {@code raw_data}, as PyTorch's exporter writes initializers. */
    public static TensorProto ofFloats(String name, long[] dims, float[] values) {
        checkCount(name, dims, values.length);
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return raw(name, DataType.FLOAT, dims, b.array());
    }

    /** An INT64 tensor with its values in {@code raw_data} (shapes, axes, indices). */
    public static TensorProto ofLongs(String name, long[] dims, long[] values) {
        checkCount(name, dims, values.length);
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return raw(name, DataType.INT64, dims, b.array());
    }

    /** A tensor of any fixed-width type from its little-endian bytes. */
    public static TensorProto raw(String name, DataType type, long[] dims, byte[] raw) {
        return new TensorProto(name, type.code, dims.clone(), null, null, null, null, null, raw, null, null, 0, "");
    }

    private static void checkCount(String name, long[] dims, int count) {
        long n = numel(dims);
        if (n != count) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(dims) + " has " + n
                    + " elements, but " + count + " values were given");
        }
    }

    /** The data type, or {@code null} for a code Linea does not know. */
    public DataType type() {
        return DataType.of(dataType);
    }

    /** Number of elements: the product of {@code dims} (1 for a scalar), or -1 if it overflows a long or a dim is negative. */
    public long numel() {
        return numel(dims);
    }

    static long numel(long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return n;
    }

    /** The shape as ints (Linea's shapes), for tensors whose dims fit. */
    public int[] shape() {
        int[] s = new int[dims.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.toIntExact(dims[i]);
        }
        return s;
    }

    /** How many elements the tensor's data holds, in the field that holds them. */
    long storedCount() {
        DataType t = type();
        if (rawData != null) {
            return t == null || t.bits == 0 ? -1 : (long) rawData.length * 8 / t.bits;
        }
        return switch (t == null ? DataType.UNDEFINED : t) {
            case FLOAT, COMPLEX64 -> floatData.length / (t == DataType.COMPLEX64 ? 2 : 1);
            case INT64 -> int64Data.length;
            case DOUBLE, COMPLEX128 -> doubleData.length / (t == DataType.COMPLEX128 ? 2 : 1);
            case UINT32, UINT64 -> uint64Data.length;
            case STRING -> stringData.size();
            default -> int32Data.length;
        };
    }

    /**
     * The values converted to float32, row-major: FLOAT, DOUBLE, FLOAT16, BFLOAT16, the integer types and BOOL
     * (1/0). Other types (strings, complex, 8-/4-bit floats) are refused.
     *
     * @throws IllegalArgumentException for those types, or data that does not match the shape
     */
    public float[] toFloats() {
        DataType t = requireNumeric();
        int n = (int) numel();
        float[] out = new float[n];
        if (rawData != null) {
            ByteBuffer b = ByteBuffer.wrap(rawData).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out[i] = switch (t) {
                    case FLOAT -> b.getFloat(4 * i);
                    case DOUBLE -> (float) b.getDouble(8 * i);
                    case FLOAT16 -> Float.float16ToFloat(b.getShort(2 * i));
                    case BFLOAT16 -> Float.intBitsToFloat((b.getShort(2 * i) & 0xFFFF) << 16);
                    case UINT64 -> unsigned(b.getLong(8 * i));
                    default -> rawInteger(b, t, i);
                };
            }
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = switch (t) {
                case FLOAT -> floatData[i];
                case DOUBLE -> (float) doubleData[i];
                case INT64 -> int64Data[i];
                case UINT32 -> uint64Data[i];
                case UINT64 -> unsigned(uint64Data[i]);
                case FLOAT16 -> Float.float16ToFloat((short) int32Data[i]);
                case BFLOAT16 -> Float.intBitsToFloat((int32Data[i] & 0xFFFF) << 16);
                case BOOL -> int32Data[i] != 0 ? 1 : 0;
                default -> int32Data[i];
            };
        }
        return out;
    }

    /** Element {@code i} of little-endian raw data of integer (or BOOL) type {@code t}; INT64 and UINT64 as stored. */
    private static long rawInteger(ByteBuffer b, DataType t, int i) {
        return switch (t) {
            case INT8 -> b.get(i);
            case UINT8 -> b.get(i) & 0xFF;
            case BOOL -> b.get(i) != 0 ? 1 : 0;
            case INT16 -> b.getShort(2 * i);
            case UINT16 -> b.getShort(2 * i) & 0xFFFF;
            case INT32 -> b.getInt(4 * i);
            case UINT32 -> b.getInt(4 * i) & 0xFFFFFFFFL;
            case INT64, UINT64 -> b.getLong(8 * i);
            default -> throw new AssertionError(t);
        };
    }

    private static float unsigned(long v) {
        return v >= 0 ? v : (float) ((v >>> 1) * 2.0 + (v & 1));
    }

    /**
     * The values of an integer (or BOOL) tensor as longs: shapes, axes, indices. UINT64 values above
     * {@code Long.MAX_VALUE} wrap.
     *
     * @throws IllegalArgumentException for non-integer types or data that does not match the shape
     */
    public long[] toLongs() {
        DataType t = requireNumeric();
        int n = (int) numel();
        long[] out = new long[n];
        switch (t) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> throw new IllegalArgumentException(
                    "tensor '" + name + "' is " + t + ", not an integer tensor");
            default -> { }
        }
        if (rawData != null) {
            ByteBuffer b = ByteBuffer.wrap(rawData).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out[i] = rawInteger(b, t, i);
            }
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = switch (t) {
                case INT64 -> int64Data[i];
                case UINT32, UINT64 -> uint64Data[i];
                case BOOL -> int32Data[i] != 0 ? 1 : 0;
                default -> int32Data[i];
            };
        }
        return out;
    }

    private DataType requireNumeric() {
        DataType t = type();
        if (t == null || switch (t) {
            case UNDEFINED, STRING, COMPLEX64, COMPLEX128, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ,
                 UINT4, INT4, FLOAT4E2M1, FLOAT8E8M0, UINT2, INT2 -> true;
            default -> false;
        }) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + DataType.describe(dataType)
                    + ", which Linea does not convert to numbers");
        }
        if (dataLocation != 0) {
            throw new IllegalArgumentException("tensor '" + name + "' is in an external file not loaded yet");
        }
        long n = numel();
        if (n < 0 || n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(dims)
                    + " is too large for one array");
        }
        if (storedCount() != n) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(dims) + " needs "
                    + n + " elements, but its data holds " + storedCount());
        }
        return t;
    }

    @Override
    public String toString() {
        return "TensorProto[" + name + ", " + DataType.describe(dataType) + " " + Arrays.toString(dims) + "]";
    }
}
