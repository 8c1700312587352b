package dev.linea;

import java.lang.management.ManagementFactory;

/**
 * Bytes a piece of code allocates on the heap (on the calling thread), for tests that pin memory bounds
 * on bad input: a total, so a bound on it also bounds the peak.
 */
public final class AllocationTesting {
    private AllocationTesting() {}

    /** Code under measurement; may throw, which counts as having run. */
    public interface Body {
        void run() throws Exception;
    }

    /** Bytes {@code body} allocated on this thread, whether it returned or threw. */
    public static long allocatedBy(Body body) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            body.run();
        } catch (Exception expected) {
            // the callers assert on the failure themselves
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
