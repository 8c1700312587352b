package dev.linea.autograd;

import dev.linea.Tensor;
import java.util.Set;

/**
 * Which tensors an op's backward rule reads, so that {@link Node} can check, before running it, that none
 * was changed in place since the forward (PyTorch's version counter check). A rule is a closure, so
 * what it captured cannot be seen; this class knows it by the op's name: ops whose rule reads only the
 * gradient save nothing, ops whose rule reads their output save the output, and every other op is taken
 * to read all its inputs (a safe default for fused ops recorded from {@code nn.functional}).
 */
final class SavedTensors {
    private SavedTensors() {}

    /** Ops whose rule uses the gradient and shapes only. */
    private static final Set<String> NONE = Set.of("AddBackward0", "SubBackward0", "RsubBackward1", "NegBackward0",
            "ViewBackward0", "TransposeBackward0", "PermuteBackward0", "SqueezeBackward1", "UnsqueezeBackward0",
            "SliceBackward0", "ExpandBackward0", "CloneBackward0", "CatBackward0", "SumBackward0", "SumBackward1",
            "MeanBackward0", "MeanBackward1", "CopyBackwards", "FillBackward2", "ZeroBackward0");

    /** Ops whose rule reads only their output (as PyTorch's, which saves {@code result}). */
    private static final Set<String> OUTPUT = Set.of("ExpBackward0", "SigmoidBackward0", "TanhBackward0",
            "SqrtBackward0", "SoftmaxBackward0", "LogSoftmaxBackward0", "ReluBackward0");

    /** Ops whose rule reads their inputs and their output. */
    private static final Set<String> BOTH = Set.of("PowBackward1", "MaxBackward1", "MinBackward1");

    /** Scalar forms (one tensor input) whose rule uses the scalar only. */
    private static final Set<String> SCALAR = Set.of("MulBackward0", "DivBackward0");

    /** The tensors {@code name}'s rule reads: a subset of the inputs, possibly with the output. */
    static Tensor[] of(String name, Tensor output, Tensor[] inputs) {
        if (NONE.contains(name) || SCALAR.contains(name) && inputs.length == 1) {
            return new Tensor[0];
        }
        if (OUTPUT.contains(name)) {
            return new Tensor[] {output};
        }
        int n = 0;
        for (Tensor in : inputs) {
            n += in == null ? 0 : 1;
        }
        boolean withOutput = BOTH.contains(name);
        Tensor[] saved = new Tensor[n + (withOutput ? 1 : 0)];
        int j = 0;
        for (Tensor in : inputs) {
            if (in != null) {
                saved[j++] = in;
            }
        }
        if (withOutput) {
            saved[j] = output;
        }
        return saved;
    }
}
