package dev.linea.data;

import dev.linea.compute.Dense;
import dev.linea.DType;
import dev.linea.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dataset over two tensors whose first dimension indexes the samples, like PyTorch's
 * {@code TensorDataset(inputs, targets)}: example {@code i} is {@code (inputs[i], targets[i])}.
 * Batches copy whole rows with {@code System.arraycopy}.
 */
public final class TensorDataset implements SupervisedDataset {
    private final Tensor inputs;
    private final Tensor targets;
    private final int inRow;
    private final int tgRow;

    /**
     * @param inputs shape (N, ...), e.g. (N, 784)
     * @param targets shape (N, ...), e.g. (N) class indices
     * @throws IllegalArgumentException when either is 0-D or their first dimensions differ
     */
    public TensorDataset(Tensor inputs, Tensor targets) {
        if (inputs.dim() == 0 || targets.dim() == 0) {
            throw new IllegalArgumentException("TensorDataset needs tensors with a sample dimension; got shapes "
                    + Arrays.toString(inputs.shape()) + " and " + Arrays.toString(targets.shape()));
        }
        if (inputs.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("TensorDataset: size mismatch between tensors: inputs have "
                    + inputs.size(0) + " samples (shape " + Arrays.toString(inputs.shape()) + "), targets have "
                    + targets.size(0) + " (shape " + Arrays.toString(targets.shape()) + ")");
        }
        // Detached and contiguous once, so that every batch is a row copy.
        this.inputs = inputs.detach().contiguous();
        this.targets = targets.detach().contiguous();
        this.inRow = rowSize(inputs);
        this.tgRow = rowSize(targets);
    }

    private static int rowSize(Tensor t) {
        return t.size(0) == 0 ? 0 : t.numel() / t.size(0);
    }

    /** The inputs, shape (N, ...). */
    public Tensor inputs() {
        return inputs;
    }

    /** The targets, shape (N, ...). */
    public Tensor targets() {
        return targets;
    }

    @Override
    public int size() {
        return inputs.size(0);
    }

    /** {@code (inputs[index], targets[index])}, views sharing this dataset's storage. */
    @Override
    public Example get(int index) {
        Objects.checkIndex(index, size());
        return new Example(inputs.select(0, index), targets.select(0, index));
    }

    @Override
    public Batch batch(int[] indices) {
        return new Batch(gather(inputs, inRow, indices), gather(targets, tgRow, indices));
    }

    private Tensor gather(Tensor t, int row, int[] indices) {
        if (t.dtype() != DType.FLOAT32) {
            long[] at = new long[indices.length];
            for (int b = 0; b < indices.length; b++) {
                at[b] = Objects.checkIndex(indices[b], size());
            }
            return t.indexSelect(0, Tensor.ofLongs(at)); // keeps int64 labels exact and int64
        }
        Dense d = Dense.of(t); // the constructor made t contiguous, so this is its storage
        float[] src = d.a();
        int base = d.off();
        float[] out = new float[Math.multiplyExact(indices.length, row)];
        for (int b = 0; b < indices.length; b++) {
            int i = Objects.checkIndex(indices[b], size());
            System.arraycopy(src, base + i * row, out, b * row, row);
        }
        int[] shape = t.shape();
        shape[0] = indices.length;
        return Tensor.wrap(out, shape);
    }
}
