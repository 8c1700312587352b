package dev.linea.io;

import dev.linea.internal.io.Json;
import dev.linea.Tensor;
import dev.linea.nn.Module;
import dev.linea.optim.Optimizer;
import dev.linea.optim.OptimizerState;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Model files and training checkpoints as safetensors files: the one format of Linea, of its library
 * users and of {@code linea train}. Every file is replaced atomically; every read is validated, and a
 * damaged or incomplete file fails with one {@link SafeTensorsException} line naming the file and the fault.
 *
 * <p><b>A model file</b> ({@link #saveModel}) holds {@link Module#stateDict()} under PyTorch's dotted names
 * ({@code fc1.weight}) with PyTorch's metadata {@code {"format": "pt"}}, loadable by
 * {@code safetensors.torch.load_file} and {@code load_state_dict}, and {@code linea.crc32c}, the CRC32C of
 * each tensor's data, so a flipped byte is reported at load with the tensor named (PyTorch ignores it; files
 * without it load unchecked).
 *
 * <p><b>A training checkpoint</b> ({@link #save}) holds a whole {@link Checkpoint} in one file, so a kill
 * between two writes can never pair weights with another step's optimizer state:
 * <ul>
 * <li>tensors {@code model.<name>} (the weights) and {@code optimizer.state.<paramIndex>.<buffer>} (e.g.
 *     {@code optimizer.state.0.exp_avg}; Adam's {@code step} is a 0-D tensor), as in PyTorch's state dicts;</li>
 * <li>metadata {@code format} = {@value #FORMAT}; {@code optimizer.param_groups}, each group's options and
 *     parameter indices as JSON ({@code [{"lr":0.001,...,"params":[0,1]}]}); the {@link TrainingProgress} as
 *     decimal strings under {@code epoch}, {@code batch}, {@code loss_sum}, {@code seen}, {@code seconds},
 *     {@code best_test_loss} and {@code bad_epochs}; {@code generator}, the six state words joined by commas
 *     (empty: none); {@code scheduler}, the schedule's state dict as JSON; and {@code linea.crc32c}, each
 *     tensor's checksum as for a model file.</li>
 * </ul>
 * Files of the first version ({@value #FORMAT_V1}, written by {@code linea train} before this codec) differ
 * only in the groups, {@code name=value;...;params=0,1,2} joined by {@code |}, and an empty {@code scheduler}
 * for none; {@link #load} reads them too.
 */
public final class Checkpoints {
    /** The value of the {@code format} metadata of the training checkpoints this class writes. */
    public static final String FORMAT = "linea.training-state.v2";
    /** The first version's {@code format}, still read. */
    public static final String FORMAT_V1 = "linea.training-state.v1";

    private static final String MODEL = "model.";
    private static final String OPTIMIZER_STATE = "optimizer.state.";
    private static final String PARAM_GROUPS = "optimizer.param_groups";

    private Checkpoints() {}

    /** Saves a model's parameters and buffers, for PyTorch or {@link #loadModel}. */
    public static void saveModel(Path path, Module model) throws IOException {
        saveModel(path, model, Map.of());
    }

    /**
     * Saves a model file as {@link #saveModel(Path, Module)} does, with {@code metadata} added to its
     * {@code __metadata__} (a model card's, see {@code dev.linea.models.ModelCard}).
     *
     * @throws IllegalArgumentException when {@code metadata} names {@code format} or {@code linea.crc32c}
     */
    public static void saveModel(Path path, Module model, Map<String, String> metadata) throws IOException {
        Map<String, Tensor> weights = model.stateDict();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put(Checksums.KEY, Checksums.of(weights));
        for (var e : metadata.entrySet()) {
            if (meta.containsKey(e.getKey())) {
                throw new IllegalArgumentException("metadata key '" + e.getKey() + "' is written by saveModel itself");
            }
            meta.put(e.getKey(), e.getValue());
        }
        SafeTensors.save(path, weights, meta);
    }

    /**
     * Reads a model file, validated and with its checksums verified: the weights and the metadata.
     *
     * @throws FileNotFoundException when there is no such file
     * @throws SafeTensorsException naming the file when it is damaged
     */
    public static SafeTensors.Loaded readModel(Path path) throws IOException {
        SafeTensors.Loaded loaded = SafeTensors.load(existing(path, "model file"));
        Checksums.verify(loaded, path.toString());
        return loaded;
    }

    /**
     * Loads a model file into {@code model}; names and shapes must match exactly.
     *
     * @throws SafeTensorsException naming the file and the missing or unexpected keys, or a shape mismatch
     */
    public static void loadModel(Path path, Module model) throws IOException {
        Map<String, Tensor> weights = readModel(path).tensors();
        try {
            model.loadStateDict(weights);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(path.toString(), "does not fit the model: " + e.getMessage());
        }
    }

    /** Saves a training checkpoint (see the class comment for the layout). */
    public static void save(Path path, Checkpoint checkpoint) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        checkpoint.model().forEach((name, t) -> tensors.put(MODEL + name, t));
        OptimizerState os = checkpoint.optimizer();
        os.state().forEach((i, buffers) -> buffers.forEach((name, t) -> tensors.put(OPTIMIZER_STATE + i + "." + name, t)));
        TrainingProgress p = checkpoint.progress();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put(PARAM_GROUPS, Json.write(os.paramGroups()));
        meta.put("epoch", Integer.toString(p.epoch()));
        meta.put("batch", Integer.toString(p.batch()));
        meta.put("loss_sum", Double.toString(p.lossSum()));
        meta.put("seen", Long.toString(p.seen()));
        meta.put("seconds", Double.toString(p.seconds()));
        long[] g = p.generator();
        meta.put("generator", g == null ? "" : String.join(",", java.util.Arrays.stream(g).mapToObj(Long::toString).toList()));
        meta.put("best_test_loss", Double.toString(p.bestLoss()));
        meta.put("bad_epochs", Integer.toString(p.badEpochs()));
        meta.put("scheduler", Json.write(p.scheduler()));
        meta.put(Checksums.KEY, Checksums.of(tensors));
        SafeTensors.save(path, tensors, meta);
    }

    /**
     * Reads a training checkpoint of either version. Options come back as {@code Double}s, parameter
     * indices as {@code Integer}s, and the scheduler state as parsed JSON (non-finite numbers restored).
     *
     * @throws FileNotFoundException when there is no such file
     * @throws SafeTensorsException naming the file and what is wrong with it
     */
    public static Checkpoint load(Path path) throws IOException {
        SafeTensors.Loaded loaded = SafeTensors.load(existing(path, "training checkpoint"));
        String file = path.toString();
        Map<String, String> meta = loaded.metadata();
        String format = meta.get("format");
        if (!FORMAT.equals(format) && !FORMAT_V1.equals(format)) {
            throw new SafeTensorsException(file, "not a Linea training checkpoint (format '" + format + "', expected '"
                    + FORMAT + "')");
        }
        Checksums.verify(loaded, file);
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<Integer, Map<String, Tensor>> buffers = new TreeMap<>();
        for (var e : loaded.tensors().entrySet()) {
            String name = e.getKey();
            if (name.startsWith(MODEL)) {
                model.put(name.substring(MODEL.length()), e.getValue());
            } else {
                int dot = name.indexOf('.', OPTIMIZER_STATE.length());
                int index = name.startsWith(OPTIMIZER_STATE) && dot > 0 && dot < name.length() - 1
                        ? index(name.substring(OPTIMIZER_STATE.length(), dot)) : -1;
                if (index < 0) {
                    throw new SafeTensorsException(file, "unexpected tensor '" + name + "' (expected " + MODEL
                            + "<name> or " + OPTIMIZER_STATE + "<paramIndex>.<buffer>)");
                }
                buffers.computeIfAbsent(index, k -> new LinkedHashMap<>()).put(name.substring(dot + 1), e.getValue());
            }
        }
        if (model.isEmpty()) {
            throw new SafeTensorsException(file, "holds no " + MODEL + "* tensors: the weights are missing");
        }
        String groups = required(meta, PARAM_GROUPS, file);
        Object rawGroups = FORMAT_V1.equals(format) ? groupsV1(groups) : json(groups, PARAM_GROUPS, file);
        OptimizerState optimizer = new OptimizerState(buffers, paramGroups(rawGroups, file));
        return new Checkpoint(model, optimizer, progress(meta, file));
    }

    /**
     * Restores a training checkpoint into {@code model} and {@code optimizer} and returns where the run stood.
     *
     * @throws SafeTensorsException naming the file when it is damaged or does not fit the model or optimizer
     */
    public static TrainingProgress resume(Path path, Module model, Optimizer optimizer) throws IOException {
        Checkpoint c = load(path);
        try {
            c.restore(model, optimizer);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(path.toString(), "does not fit this model and optimizer: " + e.getMessage());
        }
        return c.progress();
    }

    private static Path existing(Path path, String what) throws FileNotFoundException {
        if (!Files.isRegularFile(path)) {
            throw new FileNotFoundException(path + ": no such file (" + what + ")");
        }
        return path;
    }

    private static int index(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String required(Map<String, String> meta, String key, String file) throws SafeTensorsException {
        String v = meta.get(key);
        if (v == null) {
            throw new SafeTensorsException(file, "the metadata has no '" + key + "': the checkpoint is incomplete");
        }
        return v;
    }

    private static Object json(String text, String key, String file) throws SafeTensorsException {
        try {
            return Json.parseWritten(text);
        } catch (Json.ParseException e) {
            throw new SafeTensorsException(file, "'" + key + "' is not valid JSON: " + e.getMessage());
        }
    }

    private static TrainingProgress progress(Map<String, String> meta, String file) throws SafeTensorsException {
        int epoch = number(meta, "epoch", file, Integer::valueOf);
        int batch = number(meta, "batch", file, Integer::valueOf);
        double lossSum = number(meta, "loss_sum", file, Double::valueOf);
        long seen = number(meta, "seen", file, Long::valueOf);
        double seconds = number(meta, "seconds", file, Double::valueOf);
        double best = number(meta, "best_test_loss", file, Double::valueOf);
        int bad = number(meta, "bad_epochs", file, Integer::valueOf);
        String g = meta.getOrDefault("generator", "");
        String[] words = g.split(",", -1);
        long[] generator = g.isEmpty() ? null : new long[words.length];
        for (int i = 0; generator != null && i < words.length; i++) {
            generator[i] = parse("generator", words[i], file, Long::valueOf);
        }
        String s = meta.getOrDefault("scheduler", "");
        Object scheduler = s.isEmpty() ? Map.of() : json(s, "scheduler", file);
        if (!(scheduler instanceof Map<?, ?> m)) {
            throw new SafeTensorsException(file, "'scheduler' must be a JSON object, got " + s);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> schedulerState = (Map<String, Object>) m;
        try {
            return new TrainingProgress(epoch, batch, lossSum, seen, seconds, generator, best, bad, schedulerState);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file, e.getMessage());
        }
    }

    private static <T extends Number> T number(Map<String, String> meta, String key, String file,
                                               Function<String, T> parser) throws SafeTensorsException {
        return parse(key, required(meta, key, file), file, parser);
    }

    /** {@code parser} is {@code Integer::valueOf}, {@code Long::valueOf} or {@code Double::valueOf}. */
    private static <T extends Number> T parse(String key, String text, String file, Function<String, T> parser)
            throws SafeTensorsException {
        try {
            return parser.apply(text);
        } catch (NumberFormatException e) {
            boolean whole = !(parser.apply("0") instanceof Double);
            throw new SafeTensorsException(file, "'" + key + "' holds '" + text + "', not "
                    + (whole ? "a whole number in range" : "a number"));
        }
    }

    /**
     * The first version's groups, {@code lr=0.001;...;params=0,1,2} joined by {@code |}, as the JSON reader
     * would give them (options as strings, parameter indices as a list when they parse), for the checks below.
     */
    private static List<Object> groupsV1(String text) {
        List<Object> groups = new ArrayList<>();
        for (String g : text.isEmpty() ? new String[0] : text.split("\\|", -1)) {
            Map<String, Object> group = new LinkedHashMap<>();
            for (String kv : g.split(";", -1)) {
                int eq = kv.indexOf('=');
                String name = eq < 0 ? kv : kv.substring(0, eq), value = eq < 0 ? null : kv.substring(eq + 1);
                Object indices = value;
                try {
                    indices = name.equals("params") ? Json.parse("[" + value + "]") : value;
                } catch (Json.ParseException notIndices) {
                    // left as the text, which paramGroups reports
                }
                group.put(name, indices);
            }
            groups.add(group);
        }
        return groups;
    }

    private static List<Map<String, Object>> paramGroups(Object raw, String file) throws SafeTensorsException {
        if (!(raw instanceof List<?> list)) {
            throw new SafeTensorsException(file, PARAM_GROUPS + " must be a JSON list of objects");
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Object g : list) {
            if (!(g instanceof Map<?, ?> m)) {
                throw new SafeTensorsException(file, PARAM_GROUPS + " must be a JSON list of objects");
            }
            Map<String, Object> group = new LinkedHashMap<>();
            for (var o : m.entrySet()) {
                String key = (String) o.getKey();
                group.put(key, key.equals("params") ? indices(o.getValue(), file) : option(key, o.getValue(), file));
            }
            groups.add(group);
        }
        return groups;
    }

    private static List<Integer> indices(Object v, String file) throws SafeTensorsException {
        List<Integer> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
                    throw new SafeTensorsException(file, PARAM_GROUPS + ": params must be parameter indices, got " + v);
                }
                out.add(n.intValue());
            }
            return out;
        }
        throw new SafeTensorsException(file, PARAM_GROUPS + ": params must be a list of parameter indices, got " + v);
    }

    private static Object option(String key, Object v, String file) throws SafeTensorsException {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) { // the first version wrote every option as Double.toString
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new SafeTensorsException(file, PARAM_GROUPS + ": option '" + key + "' is not a number: " + s);
            }
        }
        if (v == null) {
            throw new SafeTensorsException(file, PARAM_GROUPS + ": option '" + key + "' has no value");
        }
        return v; // booleans pass through; the optimizer ignores non-numbers
    }
}
