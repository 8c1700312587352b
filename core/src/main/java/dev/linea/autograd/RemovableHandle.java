package dev.linea.autograd;

/**
 * What {@code registerHook} returns, like {@code torch.utils.hooks.RemovableHandle}: {@link #remove()} takes
 * the hook off again (a second call does nothing).
 */
@FunctionalInterface
public interface RemovableHandle {
    void remove();
}
