package dev.linea.autograd;

import dev.linea.Tensor;
import dev.linea.compute.Ops;
import dev.linea.internal.TensorAccess;

/**
 * The nodes of in-place ops. An in-place op's rule never reads the tensor's previous value (the op copies
 * what its rule needs before it writes) nor its result, so only its operands are saved for the version
 * check: a later in-place op on the same tensor does not make backward fail, as in PyTorch. The caller
 * makes the node before the write, so the versions saved are the operands' before it, and an operand the op
 * overwrites (it shares the written storage) fails backward, as in PyTorch.
 *
 * <p>The history of a tensor changed through one of its views is PyTorch's {@code CopySlices} and
 * {@code AsStridedBackward0} nodes. When an in-place op {@code fn} writes into a view {@code v} of a base
 * {@code b} (shared storage, {@code v} at some offset and strides inside {@code b}):
 *
 * <ul>
 *   <li>{@code b}'s node becomes {@link #copySlices CopySlices}: given dL/d(b new), the gradient for the old
 *       {@code b} is that gradient with {@code v}'s region replaced by {@code fn}'s gradient for its
 *       {@code self} input (computed from the region itself), and {@code fn}'s other inputs get theirs from
 *       the region;</li>
 *   <li>{@code v} (and any older view of {@code b} read after the change) is re-derived from the new
 *       {@code b}: its node becomes {@link #asStrided AsStridedBackward0}, which scatters the view's gradient
 *       into a zero gradient of {@code b}'s shape.</li>
 * </ul>
 *
 * Gradients of {@code b} are laid out in a buffer with {@code b}'s strides, so a view's elements sit at
 * the same relative positions as in the storage. Used by {@link Tensor}'s in-place ops; user code has no
 * need to call it.
 */
public final class InPlaceNodes {
    private InPlaceNodes() {}

    /**
     * The node {@code name} of an in-place op on {@code output}, a tensor that is not a view: {@code inputs}
     * are its previous value (history included) and the operands.
     */
    public static Node inPlace(String name, Tensor output, Autograd.Rule rule, Tensor[] inputs) {
        return new Node(name, output, inputs, rule, operandsSaved(name, output, inputs));
    }

    /** What {@code name}'s rule reads among {@code inputs} and {@code output}, less {@code inputs[0]}. */
    private static Tensor[] operandsSaved(String name, Tensor output, Tensor[] inputs) {
        return java.util.Arrays.stream(SavedTensors.of(name, output, inputs)).filter(t -> t != inputs[0])
                .toArray(Tensor[]::new);
    }

    /**
     * The {@code CopySlices} node for {@code fn} (named {@code fnName}, with rule {@code fnRule} over the
     * inputs {@code [viewBefore, operands...]}) having written into {@code view} of {@code base}. Its inputs
     * are {@code baseBefore} (the base's value and history before the op) and the operands; it saves what
     * {@code fn}'s rule reads among the operands, so a later change to those is caught before backward.
     */
    public static Node copySlices(Tensor base, Tensor baseBefore, Tensor view, Tensor viewBefore, String fnName,
                                  Autograd.Rule fnRule, Tensor[] operands) {
        Tensor[] fnInputs = new Tensor[operands.length + 1];
        fnInputs[0] = viewBefore;
        System.arraycopy(operands, 0, fnInputs, 1, operands.length);
        Tensor[] inputs = fnInputs.clone();
        inputs[0] = baseBefore;
        int[] viewShape = view.shape(), viewStrides = view.strides();
        int viewOffset = TensorAccess.offset(view) - TensorAccess.offset(base);
        int[] baseShape = base.shape(), baseStrides = base.strides();
        Autograd.Rule rule = g -> {
            float[] buf = new float[span(baseShape, baseStrides)];
            Tensor result = TensorAccess.create(buf, 0, baseShape, baseStrides);
            Ops.copyInto(result, g);
            Tensor region = TensorAccess.create(buf, viewOffset, viewShape, viewStrides);
            Tensor[] res = fnRule.apply(TensorAccess.create(region.toFloatArray(), viewShape));
            if (res[0] == null) {
                Ops.fill(region, 0f);
            } else {
                Ops.copyInto(region, res[0]);
            }
            Tensor[] out = res.clone();
            out[0] = result;
            return out;
        };
        return new Node("CopySlices", base, inputs, rule, operandsSaved(fnName, view, fnInputs));
    }

    /**
     * The {@code AsStridedBackward0} node of {@code view} re-derived from {@code base}'s current value: the
     * view's gradient scattered (summed where a view repeats an element, as an expanded one does) into
     * zeros of the base's shape. It saves nothing.
     */
    public static Node asStrided(Tensor view, Tensor base) {
        int[] viewShape = view.shape(), viewStrides = view.strides();
        int viewOffset = TensorAccess.offset(view) - TensorAccess.offset(base);
        int[] baseShape = base.shape(), baseStrides = base.strides();
        boolean repeats = repeats(viewShape, viewStrides);
        Autograd.Rule rule = g -> {
            float[] buf = new float[span(baseShape, baseStrides)];
            if (repeats) {
                scatterAdd(buf, viewOffset, viewShape, viewStrides, g.toFloatArray());
            } else {
                Ops.copyInto(TensorAccess.create(buf, viewOffset, viewShape, viewStrides), g);
            }
            return new Tensor[] {TensorAccess.create(buf, 0, baseShape, baseStrides)};
        };
        return new Node("AsStridedBackward0", view, new Tensor[] {base}, rule, new Tensor[0]);
    }

    /** Whether a layout visits some element twice (a stride 0 over a dimension longer than 1). */
    public static boolean repeats(int[] shape, int[] strides) {
        for (int d = 0; d < shape.length; d++) {
            if (strides[d] == 0 && shape[d] > 1) {
                return true;
            }
        }
        return false;
    }

    /** Storage elements a layout spans from its first element (its strides are non-negative). */
    private static int span(int[] shape, int[] strides) {
        int last = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                return 0;
            }
            last += (shape[d] - 1) * strides[d];
        }
        return last + 1;
    }

    /** {@code buf[offset + Σ i_d·strides_d] += values[i]} over the row-major indices i of {@code shape}. */
    private static void scatterAdd(float[] buf, int offset, int[] shape, int[] strides, float[] values) {
        int[] idx = new int[shape.length];
        int pos = offset;
        for (float v : values) {
            buf[pos] += v;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    pos += strides[d];
                    break;
                }
                pos -= (shape[d] - 1) * strides[d];
                idx[d] = 0;
            }
        }
    }
}
