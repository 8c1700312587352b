package dev.linea;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/** What {@link Tensor}'s in-place ops need besides the tensor: the version counters of storages changed in place. */
final class InPlace {
    private InPlace() {}

    /**
     * Version of each storage changed in place at least once (absent: version 0). Keyed by the array
     * itself (float[] or long[]: arrays hash and compare by identity), weakly, so a storage's entry goes with it.
     * A view and its base share their storage, hence their version, as PyTorch's share one counter.
     */
    static final Map<Object, int[]> VERSIONS = Collections.synchronizedMap(new WeakHashMap<>());
}
