package dev.linea.nn;

import dev.linea.autograd.GradMode;
import dev.linea.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds {@link Module#summary}: runs one forward pass on zeros and records what each layer produced. */
final class Summary {
    private record Row(Module module, int[] shape) {}

    private static final ThreadLocal<List<Row>> RECORDING = new ThreadLocal<>();

    private Summary() {}

    static void observe(Module m, Tensor out) {
        List<Row> rows = RECORDING.get();
        if (rows != null) {
            rows.add(new Row(m, out.shape()));
        }
    }

    static String of(Module model, int[] inputShape) {
        Map<Module, String> names = new IdentityHashMap<>();
        model.namedModules().forEach((name, m) -> names.put(m, name));
        List<Row> rows = new ArrayList<>();
        boolean wasTraining = model.isTraining();
        model.eval();
        RECORDING.set(rows);
        try (var g = GradMode.noGrad()) {
            model.forward(Tensor.zeros(inputShape));
        } finally {
            RECORDING.remove();
            model.train(wasTraining);
        }
        String[] header = {"Layer (type)", "Output shape", "Param #"};
        List<String[]> table = new ArrayList<>();
        for (Row r : rows) {
            String name = names.getOrDefault(r.module, "?");
            long count = r.module.ownParameters().values().stream().mapToLong(Tensor::numel).sum();
            table.add(new String[] {(name.isEmpty() ? "" : name + " ") + "(" + r.module.getClass().getSimpleName() + ")",
                    Arrays.toString(r.shape), String.format(Locale.ROOT, "%,d", count)});
        }
        int[] w = {header[0].length(), header[1].length(), header[2].length()};
        for (String[] row : table) {
            for (int i = 0; i < 3; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        int width = w[0] + w[1] + w[2] + 6;
        StringBuilder sb = new StringBuilder();
        String fmt = "%-" + w[0] + "s   %-" + w[1] + "s   %" + w[2] + "s%n";
        sb.append(model.getClass().getSimpleName()).append(" — input ").append(Arrays.toString(inputShape)).append('\n');
        sb.append("-".repeat(width)).append('\n');
        sb.append(String.format(Locale.ROOT, fmt, (Object[]) header));
        sb.append("=".repeat(width)).append('\n');
        for (String[] row : table) {
            sb.append(String.format(Locale.ROOT, fmt, (Object[]) row));
        }
        sb.append("=".repeat(width)).append('\n');
        long total = model.parameterCount(), trainable = model.trainableParameterCount();
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
        sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainable));
        sb.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", total - trainable));
        sb.append("-".repeat(width));
        return sb.toString();
    }
}
