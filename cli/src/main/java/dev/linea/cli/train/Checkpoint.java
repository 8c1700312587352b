package dev.linea.cli.train;

import dev.linea.Tensor;
import dev.linea.io.SafeTensors;
import dev.linea.nn.Module;
import dev.linea.optim.Optimizer;
import dev.linea.optim.OptimizerState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run's checkpoint. {@code model.safetensors} holds the weights alone, under PyTorch's state-dict
 * names, for PyTorch or {@code linea eval}. {@code training-state.safetensors} holds everything needed
 * to resume exactly — the weights ({@code model.*}), the optimizer's buffers
 * ({@code optimizer.state.<param>.<buffer>}, e.g. Adam's {@code exp_avg}, {@code exp_avg_sq}, {@code step})
 * and, in its metadata, the optimizer's parameter groups and the {@link TrainState} — in one file, so a
 * kill between two writes can never pair weights with another step's optimizer state. Each file is
 * replaced atomically.
 */
final class Checkpoint {
    private Checkpoint() {}

    static void save(Path runDir, Module model, Optimizer optimizer, TrainState state) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> tensors.put("model." + k, v));
        OptimizerState os = optimizer.stateDict();
        os.state().forEach((idx, buffers) -> buffers.forEach((name, t) -> tensors.put("optimizer.state." + idx + "." + name, t)));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "linea.training-state.v1");
        meta.put("optimizer.param_groups", encodeGroups(os.paramGroups()));
        meta.put("epoch", Integer.toString(state.epoch()));
        meta.put("batch", Integer.toString(state.batch()));
        meta.put("loss_sum", Double.toString(state.lossSum()));
        meta.put("seen", Long.toString(state.seen()));
        meta.put("seconds", Double.toString(state.seconds()));
        meta.put("generator", state.generator() == null ? "" : join(state.generator()));
        meta.put("best_test_loss", Double.toString(state.bestTestLoss()));
        meta.put("bad_epochs", Integer.toString(state.badEpochs()));
        meta.put("scheduler", Objects.requireNonNullElse(state.scheduler(), ""));
        SafeTensors.save(runDir.resolve(RunFiles.STATE), tensors, meta);
        SafeTensors.save(runDir.resolve(RunFiles.MODEL), model.stateDict(), Map.of("format", "pt"));
    }

    static void saveBest(Path runDir, Module model) throws IOException {
        SafeTensors.save(runDir.resolve(RunFiles.BEST), model.stateDict(), Map.of("format", "pt"));
    }

    /** Restores model and optimizer from a run's training state; returns where the run stood. */
    static TrainState load(Path runDir, Module model, Optimizer optimizer) throws IOException {
        Path f = runDir.resolve(RunFiles.STATE);
        if (!Files.isRegularFile(f)) {
            throw new java.io.FileNotFoundException("no checkpoint to resume: " + f + " is missing");
        }
        SafeTensors.Loaded loaded = SafeTensors.load(f);
        Map<String, String> meta = loaded.metadata();
        if (!"linea.training-state.v1".equals(meta.get("format"))) {
            throw new IOException(f + " is not a Linea training state (format '" + meta.get("format") + "')");
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        Map<Integer, Map<String, Tensor>> optState = new LinkedHashMap<>();
        for (var e : loaded.tensors().entrySet()) {
            String k = e.getKey();
            if (k.startsWith("model.")) {
                weights.put(k.substring(6), e.getValue());
            } else if (k.startsWith("optimizer.state.")) {
                String rest = k.substring("optimizer.state.".length());
                int dot = rest.indexOf('.');
                optState.computeIfAbsent(Integer.parseInt(rest.substring(0, dot)), i -> new LinkedHashMap<>())
                        .put(rest.substring(dot + 1), e.getValue());
            }
        }
        try {
            model.loadStateDict(weights);
            optimizer.loadStateDict(new OptimizerState(optState, decodeGroups(meta.get("optimizer.param_groups"))));
            String gen = meta.getOrDefault("generator", "");
            return new TrainState(Integer.parseInt(meta.get("epoch")), Integer.parseInt(meta.get("batch")),
                    Double.parseDouble(meta.get("loss_sum")), Long.parseLong(meta.get("seen")),
                    Double.parseDouble(meta.get("seconds")),
                    gen.isEmpty() ? null : Arrays.stream(gen.split(",")).mapToLong(Long::parseLong).toArray(),
                    Double.parseDouble(meta.get("best_test_loss")), Integer.parseInt(meta.get("bad_epochs")),
                    meta.getOrDefault("scheduler", ""));
        } catch (RuntimeException e) {
            throw new IOException(f + ": the checkpoint does not fit this run (" + e.getMessage() + ")", e);
        }
    }

    private static String join(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? "," : "").append(v[i]);
        }
        return sb.toString();
    }

    /** Groups as {@code name=value;...;params=0,1,2} joined by {@code |}; values are numbers. */
    private static String encodeGroups(List<Map<String, Object>> groups) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> g : groups) {
            List<String> kv = new ArrayList<>();
            g.forEach((k, v) -> kv.add(k + "=" + (v instanceof List<?> l
                    ? String.join(",", l.stream().map(String::valueOf).toList()) : v)));
            out.add(String.join(";", kv));
        }
        return String.join("|", out);
    }

    private static List<Map<String, Object>> decodeGroups(String s) {
        List<Map<String, Object>> groups = new ArrayList<>();
        if (s == null || s.isEmpty()) {
            return groups;
        }
        for (String g : s.split("\\|")) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String kv : g.split(";")) {
                int eq = kv.indexOf('=');
                String k = kv.substring(0, eq), v = kv.substring(eq + 1);
                if (k.equals("params")) {
                    m.put(k, v.isEmpty() ? List.of() : Arrays.stream(v.split(",")).map(Integer::valueOf).toList());
                } else {
                    m.put(k, Double.valueOf(v));
                }
            }
            groups.add(m);
        }
        return groups;
    }
}
