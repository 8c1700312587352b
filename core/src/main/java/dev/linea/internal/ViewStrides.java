package dev.linea.internal;

/**
 * The strides of a view with a new shape over an existing layout, by PyTorch's rule
 * ({@code at::detail::computeStride}): the old dimensions are cut into chunks that are contiguous with
 * one another; a view exists when every chunk's elements map onto whole dimensions of the new shape,
 * which then take strides within that chunk.
 */
public final class ViewStrides {
    private ViewStrides() {}

    /** The new shape's strides, or null when no view of {@code oldShape}/{@code oldStrides} has that shape. */
    public static int[] of(int[] oldShape, int[] oldStrides, int[] newShape) {
        int[] newStrides = new int[newShape.length];
        if (oldShape.length == 0) {
            java.util.Arrays.fill(newStrides, 1);
            return newStrides;
        }
        long numel = Shape.numel(oldShape);
        if (numel == 0) {
            if (java.util.Arrays.equals(oldShape, newShape)) {
                return oldStrides.clone();
            }
            for (int d = newShape.length - 1; d >= 0; d--) {
                newStrides[d] = d == newShape.length - 1 ? 1 : Math.max(newShape[d + 1], 1) * newStrides[d + 1];
            }
            return newStrides;
        }
        int viewD = newShape.length - 1;
        long chunkBaseStride = oldStrides[oldStrides.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int tensorD = oldShape.length - 1; tensorD >= 0; tensorD--) {
            tensorNumel *= oldShape[tensorD];
            // The chunk ends where the next dimension out is not contiguous with this one.
            if (tensorD == 0 || oldShape[tensorD - 1] != 1 && oldStrides[tensorD - 1] != tensorNumel * chunkBaseStride) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBaseStride);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (tensorD > 0) {
                    chunkBaseStride = oldStrides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }
}
