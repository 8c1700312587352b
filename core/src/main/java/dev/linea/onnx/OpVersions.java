package dev.linea.onnx;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ONNX operators Linea imports and the versions of each it knows: an op's version in a model is the
 * newest since-version at or below the model's opset for the default domain. Versions that changed only
 * the element types accepted are listed too; versions older than the first listed are refused (their
 * semantics, such as the {@code broadcast} attribute of opset 1-6, are not implemented).
 */
final class OpVersions {
    /** The newest opset this table knows (ONNX 1.22); newer opsets could have changed any op. */
    static final int NEWEST_OPSET = 25;

    private static final Map<String, int[]> SINCE = new TreeMap<>();

    static {
        since("Abs", 6, 13);
        since("Add", 7, 13, 14);
        since("AveragePool", 7, 10, 11, 19, 22);
        since("BatchNormalization", 9, 14, 15);
        since("Cast", 6, 9, 13, 19, 21, 23, 24, 25);
        since("CastLike", 15, 19, 21, 23, 24, 25);
        since("Clip", 6, 11, 12, 13);
        since("Concat", 4, 11, 13);
        since("Constant", 9, 11, 12, 13, 19, 21, 23, 24, 25);
        since("Conv", 1, 11, 22);
        since("ConvTranspose", 1, 11, 22);
        since("Div", 7, 13, 14);
        since("Dropout", 7, 10, 12, 13, 22);
        since("Erf", 9, 13);
        since("Exp", 6, 13);
        since("Flatten", 1, 9, 11, 13, 21, 23, 24, 25);
        since("Gather", 1, 11, 13);
        since("Gelu", 20);
        since("Gemm", 7, 9, 11, 13);
        since("GlobalAveragePool", 1, 22);
        since("GlobalMaxPool", 1, 22);
        since("Identity", 1, 13, 14, 16, 19, 21, 23, 24, 25);
        since("LeakyRelu", 6, 16);
        since("Log", 6, 13);
        since("LogSoftmax", 1, 11, 13);
        since("MatMul", 1, 9, 13);
        since("Max", 8, 12, 13);
        since("MaxPool", 8, 10, 11, 12, 22);
        since("Mean", 8, 13);
        since("Min", 8, 12, 13);
        since("Mul", 7, 13, 14);
        since("Neg", 6, 13);
        since("Pow", 7, 12, 13, 15);
        since("Reciprocal", 6, 13);
        since("ReduceMax", 1, 11, 12, 13, 18, 20);
        since("ReduceMean", 1, 11, 13, 18);
        since("ReduceMin", 1, 11, 12, 13, 18, 20);
        since("ReduceSum", 1, 11, 13);
        since("Relu", 6, 13, 14);
        since("Reshape", 5, 13, 14, 19, 21, 23, 24, 25);
        since("Resize", 10, 11, 13, 18, 19);
        since("Shape", 1, 13, 15, 19, 21, 23, 24, 25);
        since("Sigmoid", 6, 13);
        since("Softmax", 1, 11, 13);
        since("Sqrt", 6, 13);
        since("Squeeze", 1, 11, 13, 21, 23, 24, 25);
        since("Sub", 7, 13, 14);
        since("Sum", 8, 13);
        since("Tanh", 6, 13);
        since("Transpose", 1, 13, 21, 23, 24, 25);
        since("Unsqueeze", 1, 11, 13, 21, 23, 24, 25);
        since("Upsample", 7, 9);
    }

    private OpVersions() {}

    private static void since(String op, int... versions) {
        SINCE.put(op, versions);
    }

    /** The operators this table lists, sorted. */
    static java.util.Set<String> ops() {
        return SINCE.keySet();
    }

    /**
     * The version of {@code op} a model at {@code opset} uses.
     *
     * @throws IllegalArgumentException naming the op and the opset when Linea does not implement it
     */
    static int resolve(String op, long opset) {
        int[] v = SINCE.get(op);
        if (v == null) {
            throw new IllegalArgumentException("op " + op + " is not supported (supported: " + String.join(", ", ops()) + ")");
        }
        if (opset > NEWEST_OPSET) {
            throw new IllegalArgumentException("opset " + opset + " is newer than the newest Linea knows (" + NEWEST_OPSET + ")");
        }
        int best = -1;
        for (int s : v) {
            if (s <= opset) {
                best = s;
            }
        }
        if (best < 0) {
            throw new IllegalArgumentException(op + " at opset " + opset + " is older than the versions Linea implements "
                    + Arrays.toString(v));
        }
        return best;
    }
}
