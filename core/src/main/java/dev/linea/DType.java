package dev.linea;

/**
 * The element type of a {@link Tensor}, like {@code torch.dtype}. Linea computes in {@link #FLOAT32};
 * {@link #INT64} holds indices and labels exactly (as Java {@code long}s, beyond 2^24 too) and {@link #BOOL}
 * holds the results of comparisons and masks. Arithmetic that mixes an integer or boolean tensor with a
 * float32 one gives float32, as PyTorch's type promotion; only float32 tensors can require gradients.
 */
public enum DType {
    /** 32-bit IEEE floats, {@code torch.float32}: the compute type. */
    FLOAT32("torch.float32", "Float"),
    /** 64-bit signed integers, {@code torch.int64} ({@code torch.long}): indices, labels, counts. */
    INT64("torch.int64", "Long"),
    /** Booleans, {@code torch.bool}: comparison results and masks. */
    BOOL("torch.bool", "Bool");

    private final String torchName;
    private final String scalarName;

    DType(String torchName, String scalarName) {
        this.torchName = torchName;
        this.scalarName = scalarName;
    }

    /** True for {@link #FLOAT32}, the only type that can require gradients. */
    public boolean isFloatingPoint() {
        return this == FLOAT32;
    }

    /** PyTorch's ATen scalar-type name, as its error messages write it: {@code Float}, {@code Long}, {@code Bool}. */
    public String scalarName() {
        return scalarName;
    }

    /** PyTorch's printed name: {@code torch.float32}, {@code torch.int64}, {@code torch.bool}. */
    @Override
    public String toString() {
        return torchName;
    }
}
