package dev.linea.distributed;

/** How {@link ProcessGroup#allReduce} combines the ranks' buffers, PyTorch's {@code ReduceOp}. */
public enum ReduceOp {
    /** Elementwise sum. */
    SUM,
    /** Elementwise sum divided by the world size (PyTorch's {@code ReduceOp.AVG}). */
    AVG
}
