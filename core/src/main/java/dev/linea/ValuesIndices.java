package dev.linea;

/**
 * The pair that {@link Tensor#sort}, {@link Tensor#topk} and friends return, like PyTorch's
 * {@code torch.return_types.sort}: the selected values (differentiable) and their int64 indices along the
 * dimension.
 *
 * @param values  the values, float32 (or the input's dtype)
 * @param indices their positions along the dimension, int64, the same shape as {@code values}
 */
public record ValuesIndices(Tensor values, Tensor indices) {}
