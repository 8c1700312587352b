package dev.linea.train;

/**
 * Training stopped because the run diverged ({@link DivergenceStop}): a loss, gradient, parameter or optimizer
 * state left float32's finite range, or the loss exploded. The message is one line: {@code training diverged
 * at epoch 2, batch 3 of 10, lr 0.001: the gradient of fc2.bias holds NaN (3 of 64 elements non-finite)}.
 */
public class TrainingDiverged extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final String where;
    private final String what;
    private final float lr;

    /**
     * @param where where the run was ("at epoch 2, batch 3 of 10", "after epoch 2")
     * @param what what went wrong, with the values
     * @param lr the learning rate of the step, as the float32 it was
     */
    public TrainingDiverged(String where, String what, float lr) {
        super("training diverged " + where + ", lr " + lr + ": " + what);
        this.where = where;
        this.what = what;
        this.lr = lr;
    }

    /** Where the run was. */
    public String where() {
        return where;
    }

    /** What went wrong. */
    public String what() {
        return what;
    }

    /** The learning rate of the step. */
    public float lr() {
        return lr;
    }
}
