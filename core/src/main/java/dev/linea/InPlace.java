package dev.linea;

import dev.linea.autograd.Node;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * What {@link Tensor}'s in-place ops need besides the tensor: the version counters of storages changed in
 * place, and the view ops whose outputs share their input's storage.
 */
final class InPlace {
    private InPlace() {}

    /**
     * Version of each storage changed in place at least once (absent: version 0). Keyed by the array
     * itself (float[] or long[]: arrays hash and compare by identity), weakly, so a storage's entry goes with it.
     */
    static final Map<Object, int[]> VERSIONS = Collections.synchronizedMap(new WeakHashMap<>());

    /** Ops whose output is a view of their (first) input. */
    static final Set<String> VIEW_OPS = Set.of("ViewBackward0", "TransposeBackward0", "PermuteBackward0",
            "SqueezeBackward1", "UnsqueezeBackward0", "SliceBackward0", "ExpandBackward0");

    /** The input a view node was made from. */
    static Tensor base(Node view) {
        return view.input(0);
    }
}
