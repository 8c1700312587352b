package dev.linea.nn;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@link Module#loadStateDict(java.util.Map, boolean)} with {@code strict = false} returns, as PyTorch's
 * {@code _IncompatibleKeys}: the model's names the state dict lacked, and the state dict's names the model
 * does not have.
 *
 * @param missingKeys    names of the model absent from the state dict (left unchanged)
 * @param unexpectedKeys names in the state dict the model does not have (ignored)
 */
public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {

    /** PyTorch's repr: {@code <All keys matched successfully>} or {@code _IncompatibleKeys(missing_keys=[...], ...)}. */
    @Override
    public String toString() {
        if (missingKeys.isEmpty() && unexpectedKeys.isEmpty()) {
            return "<All keys matched successfully>";
        }
        return "_IncompatibleKeys(missing_keys=" + list(missingKeys) + ", unexpected_keys=" + list(unexpectedKeys) + ")";
    }

    private static String list(List<String> keys) {
        return keys.stream().map(k -> "'" + k + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    /** Names as PyTorch's load_state_dict error lists them: {@code "a.weight", "b"}. */
    static String quoted(List<String> keys) {
        return keys.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(", "));
    }

    /** A shape as PyTorch prints it: {@code torch.Size([3, 2])}. */
    static String size(int[] shape) {
        return "torch.Size(" + java.util.Arrays.toString(shape) + ")";
    }
}
