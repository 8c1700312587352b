package dev.linea.io;

import dev.linea.Tensor;
import dev.linea.nn.Module;
import dev.linea.optim.Optimizer;
import dev.linea.optim.OptimizerState;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to continue training exactly: the model's state dict, the optimizer's state dict and
 * the {@link TrainingProgress} (position, generator, schedule, early-stopping bookkeeping). Written and read
 * as one safetensors file by {@link Checkpoints#save} and {@link Checkpoints#load}.
 *
 * @param model the model's parameters and buffers by dotted name ({@link Module#stateDict()})
 * @param optimizer the optimizer's buffers and parameter groups ({@link Optimizer#stateDict()})
 * @param progress where the run stands
 */
public record Checkpoint(Map<String, Tensor> model, OptimizerState optimizer, TrainingProgress progress) {

    public Checkpoint {
        model = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(model, "model")));
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(progress, "progress");
    }

    /**
     * The state of {@code model} and {@code optimizer} now. The weights are the model's own tensors, not
     * copies: save the checkpoint before the next step changes them.
     */
    public static Checkpoint of(Module model, Optimizer optimizer, TrainingProgress progress) {
        return new Checkpoint(model.stateDict(), optimizer.stateDict(), progress);
    }

    /**
     * Copies the saved weights into {@code model} and the saved state into {@code optimizer}.
     *
     * @throws IllegalArgumentException when a name, shape or group does not match (see
     *                                  {@link Module#loadStateDict} and {@link Optimizer#loadStateDict})
     */
    public void restore(Module model, Optimizer optimizer) {
        model.loadStateDict(this.model);
        optimizer.loadStateDict(this.optimizer);
    }
}
