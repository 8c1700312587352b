package dev.linea.internal;

import dev.linea.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The seam through which an exporter records one forward pass: while {@link #record} runs its body on a
 * thread, every operation on that thread reports its name, inputs, output and attributes to the given
 * {@link Sink}. Every op recorded through {@code Autograd.record} reports its autograd name
 * ({@code ReluBackward0}, PyTorch's {@code grad_fn} name) without attributes, whether grad mode is on or
 * not; ops whose meaning needs more (a stride, a scalar operand, the running statistics of BatchNorm) report
 * again, under the same name, with their attributes. A sink keeps the last report for a given output.
 *
 * <p>Free when nothing is traced: {@link #active()} is one volatile read, so call sites that build attribute
 * arrays guard them with it.
 */
public final class Trace {
    /** Receives the operations of a traced forward pass, in the order they finish. */
    @FunctionalInterface
    public interface Sink {
        /**
         * One operation: {@code output} computed from {@code inputs} (entries may be null, e.g. a missing bias)
         * with {@code attributes} (name → Integer, Float, Double, Boolean or int[]; empty for none).
         */
        void op(String name, Tensor output, Tensor[] inputs, Map<String, Object> attributes);
    }

    private static final ThreadLocal<Sink> SINK = new ThreadLocal<>();
    /** How many threads are tracing now: 0 keeps every report a single read. */
    private static volatile int tracing;

    private Trace() {}

    /** Whether the current thread is being traced. */
    public static boolean active() {
        return tracing != 0 && SINK.get() != null;
    }

    /** Reports an op without attributes (a no-op unless the current thread is traced). */
    public static void op(String name, Tensor output, Tensor[] inputs) {
        if (tracing != 0) {
            Sink s = SINK.get();
            if (s != null) {
                s.op(name, output, inputs, Map.of());
            }
        }
    }

    /** Reports an op with attributes given as name, value pairs; guard the call with {@link #active()}. */
    public static void op(String name, Tensor output, Tensor[] inputs, Object... attributes) {
        Sink s = tracing != 0 ? SINK.get() : null;
        if (s == null) {
            return;
        }
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs, got " + attributes.length + " items");
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            attrs.put((String) attributes[i], attributes[i + 1] instanceof int[] a ? a.clone() : attributes[i + 1]);
        }
        s.op(name, output, inputs, attrs);
    }

    /** Runs {@code body} on this thread with every op reported to {@code sink}; traces do not nest. */
    public static <T> T record(Sink sink, Supplier<T> body) {
        Objects.requireNonNull(sink, "sink");
        if (SINK.get() != null) {
            throw new IllegalStateException("a trace is already being recorded on this thread");
        }
        SINK.set(sink);
        synchronized (Trace.class) {
            tracing++;
        }
        try {
            return body.get();
        } finally {
            synchronized (Trace.class) {
                tracing--;
            }
            SINK.remove();
        }
    }
}
