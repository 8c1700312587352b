package dev.linea.optim;

import dev.linea.Tensor;

import java.util.List;
import java.util.Map;

/**
 * An optimizer's state dict, in PyTorch's layout: per-parameter buffers keyed by the parameter's index,
 * and each group's options with the indices of its parameters under {@code "params"}.
 */
public record OptimizerState(Map<Integer, Map<String, Tensor>> state, List<Map<String, Object>> paramGroups) {}
