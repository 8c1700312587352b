package dev.linea.cli.train;

import dev.linea.Tensor;
import dev.linea.models.Models;
import dev.linea.nn.Module;
import dev.linea.onnx.OnnxModule;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code linea train --init FILE.onnx}: a run starts from the weights of an imported ONNX model. The command
 * line trains its own architectures (run folders name them, so that eval, predict and --resume rebuild the
 * model), so the imported initializers must fit one of them by state-dict name and shape, as exports of
 * these models by Linea or by PyTorch do ({@code fc1.weight}, ...). Any other graph trains through the API:
 * an {@link OnnxModule} is a Module like any other.
 */
public final class OnnxInit {
    private OnnxInit() {}

    /** The architecture of {@link Training#MODELS} whose state dict the imported weights fit exactly. */
    public static String architecture(OnnxModule imported, String file) {
        for (String name : Training.MODELS) {
            if (mismatch(imported.stateDict(), Models.create(name, Map.of()).stateDict()) == null) {
                return name;
            }
        }
        throw new IllegalArgumentException(file + ": its weights " + new TreeSet<>(imported.stateDict().keySet())
                + " fit none of the models the command line trains (" + String.join(", ", Training.MODELS)
                + "); an imported OnnxModule of any graph can be fine-tuned through the API");
    }

    /** Copies the imported weights into {@code model} (which must have the same names and shapes). */
    public static void load(OnnxModule imported, Module model, String modelName, String file) {
        String problem = mismatch(imported.stateDict(), model.stateDict());
        if (problem != null) {
            throw new IllegalArgumentException(file + " does not fit --model " + modelName + ": " + problem);
        }
        model.loadStateDict(imported.stateDict());
    }

    /** Null when {@code got} has exactly the names and shapes of {@code want}, else the first difference. */
    static String mismatch(Map<String, Tensor> got, Map<String, Tensor> want) {
        List<String> missing = want.keySet().stream().filter(k -> !got.containsKey(k)).toList();
        List<String> extra = got.keySet().stream().filter(k -> !want.containsKey(k)).toList();
        if (!missing.isEmpty() || !extra.isEmpty()) {
            return "missing " + missing + ", unexpected " + extra;
        }
        for (var e : want.entrySet()) {
            if (!Arrays.equals(e.getValue().shape(), got.get(e.getKey()).shape())) {
                return e.getKey() + " has shape " + Arrays.toString(got.get(e.getKey()).shape()) + ", the model "
                        + Arrays.toString(e.getValue().shape());
            }
        }
        return null;
    }
}
